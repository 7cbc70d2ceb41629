/**
 * Attach to a Jupyter kernel (ipykernel, started by jupyter_client as a notebook front end does) whose cell left
 * tasks pending on the kernel's running loop: they are listed with their await line in the cell, a task a later
 * cell starts while attached is traced in full, and after the detach the kernel still runs cells.
 * ipykernel and jupyter_client come from a cached venv (scripts/notebook-env.sh).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { agentBuilt, readReport, root, startCli, tempFile } from './helpers';

function notebookVenv(): string | undefined {
  try {
    return execFileSync('bash', [join(root, 'scripts/notebook-env.sh')], { encoding: 'utf8', timeout: 600_000, stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  } catch (err) {
    if (process.env.CI) throw err;
    return undefined;
  }
}

const venv = agentBuilt ? notebookVenv() : undefined;

test('attach to a Jupyter kernel: the tasks a cell left pending, a new one traced in full, the kernel goes on', { skip: !venv && 'no notebook venv (scripts/notebook-env.sh)' }, async () => {
  const driver = spawn(join(venv!, 'bin/python'), [join(root, 'test/notebook/kernel_driver.py')], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  driver.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const until = async (re: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = re.exec(out);
      if (m) return m;
      if (Date.now() > deadline) throw new Error(`no ${re} from the kernel driver; it said:\n${out}`);
      await new Promise((ok) => setTimeout(ok, 50));
    }
  };
  try {
    const kernelPid = Number((await until(/KERNEL (\d+)/))[1]);
    const json = tempFile('kernel.json');
    const cli = startCli(['attach', String(kernelPid), '--duration', '5', '--json', json]);
    let err = '';
    cli.child.stderr!.on('data', (d: string) => (err += d));
    while (!/attached to python process/.test(err)) {
      assert.equal(cli.child.exitCode, null, err);
      await new Promise((ok) => setTimeout(ok, 50));
    }
    driver.stdin!.write('late = asyncio.create_task(wait_for_data(99), name="after-attach")\n');
    await until(/DONE/);
    const r = await cli.done;
    assert.equal(r.code, 0, r.stderr);

    const report = readReport(json);
    const jobs = report.tasks.filter((t) => /^job-\d \(wait_for_data\)$/.test(t.name));
    assert.equal(jobs.length, 5, report.tasks.map((t) => t.name).join(', '));
    for (const t of jobs) {
      assert.equal(t.state, 'pending');
      assert.equal(t.foundAtAttach, 'definition');
      assert.match(t.awaitAt?.file ?? '', /ipykernel_\d+\/\d+\.py$/, 'the await line is in the cell');
      assert.equal(t.awaitAt?.line, 5);
    }
    const late = report.tasks.find((t) => t.name.startsWith('after-attach'));
    assert.ok(late, 'the task started after the attach is traced');
    assert.ok(!late!.foundAtAttach);
    assert.match(late!.created?.file ?? '', /ipykernel_\d+\/\d+\.py$/, 'with its creation line in the cell');

    // Detached: the kernel runs the next cell as usual, and the tasks are still there.
    driver.stdin!.write('print(sum(not j.done() for j in jobs))\n');
    assert.equal((await until(/OUT (\d+)\n/))[1], '5');
  } finally {
    driver.stdin!.end();
    await new Promise((ok) => { driver.once('exit', ok); setTimeout(() => { driver.kill('SIGKILL'); ok(undefined); }, 15_000); });
  }
});
