/**
 * Flush at a debugger stop, Node: the program runs under `node --inspect-brk` with the agent injected by
 * the real launcher; a CDP client (as js-debug is) resumes it, and when it stops on `debugger;` inside
 * `checkout` evaluates the agent's flush function in the global context. Before the program continues,
 * the model must hold what happened right before the stop and name the paused task.
 */
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { launch } from '../../src/inspection/launch';
import { InspectorModel } from '../../src/model/model';
import { NODE_PAUSE_FLUSH_EXPRESSION } from '../../src/protocol/debugger';
import { CdpClient } from './cdp-client';

const repo = resolve(__dirname, '../..');
const program = join(repo, 'test/fixtures/node/debug/paused-task.js');

test('at a stop, the agent delivers what it holds and names the paused task', { timeout: 60_000 }, async () => {
  const model = new InspectorModel();
  let stderr = '';
  let onUrl: (url: string) => void = () => undefined;
  const url = new Promise<string>((ok) => (onUrl = ok));
  const run = await launch(
    { command: ['node', '--inspect-brk=0', program], distDir: join(repo, 'dist') },
    {
      message: (conn, msg) => model.apply(conn, msg),
      stdout: () => undefined,
      stderr: (text) => {
        stderr += text;
        const m = /ws:\/\/\S+/.exec(stderr);
        if (m) onUrl(m[0]);
      },
      warning: () => undefined,
      exit: () => undefined,
    },
  );
  const cdp = await CdpClient.connect(await url);
  try {
    const paused = cdp.once('Debugger.paused');
    await cdp.send('Runtime.enable');
    await cdp.send('Debugger.enable');
    await cdp.send('Runtime.runIfWaitingForDebugger');
    const first = await paused;
    assert.equal((first.reason as string), 'Break on start');
    const stop = cdp.once('Debugger.paused');
    await cdp.send('Debugger.resume');
    const at = await stop;
    const frames = at.callFrames as { functionName: string }[];
    assert.equal(frames[0].functionName, 'checkout', 'stopped on the debugger statement');

    await new Promise((r) => setTimeout(r, 300)); // anything already on its way arrives meanwhile
    assert.equal(model.paused as unknown, undefined, 'nothing announced a stop before the flush');
    assert.ok(!model.snapshot().upserts.some((t) => t.name === 'audit'), 'audit() made right before the stop has not been sent yet');
    const evaluated = await cdp.send('Runtime.evaluate', { expression: NODE_PAUSE_FLUSH_EXPRESSION, returnByValue: true });
    assert.equal((evaluated.result as { value: unknown }).value, 'flushed');
    // The batch is on the socket; the launcher reads it while the program stays stopped.
    const deadline = Date.now() + 10_000;
    while ((model.paused as unknown) === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const p = model.paused;
    assert.ok(p, 'the paused event arrived while the program is stopped');
    const tasks = model.snapshot().upserts;
    const byName = (name: string) => tasks.find((t) => t.name === name);
    assert.equal(p.task, byName('checkout')?.id, 'the paused task is checkout');
    const audit = byName('audit');
    assert.ok(audit, 'audit(), created right before the stop, is in the model');
    assert.equal(audit.state, 'done');
    for (const name of ['fetchUser', 'loadCart', 'sendMail']) {
      const t = byName(name);
      assert.equal(t?.state, 'pending', `${name} is pending`);
      assert.match(t.awaitAt?.file ?? "", /paused-task.js$/, `${name} shows where it waits`);
      assert.equal(t.awaitAt?.line, { fetchUser: 6, loadCart: 10, sendMail: 14 }[name]);
    }
    await cdp.send('Debugger.resume');
    cdp.close(); // Node waits for its debugger to go before it exits
    const exit = await run.exited;
    assert.equal(exit.code, 0);
  } finally {
    cdp.close();
    run.kill('SIGKILL');
  }
});
