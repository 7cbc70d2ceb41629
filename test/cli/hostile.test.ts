/**
 * Hostile and unlucky programs through the CLI (issue #16, suite 4), both runtimes: each ends the session
 * cleanly, with what arrived in the report and a plain message. Here: a program killed with SIGKILL mid-run, and
 * one calling process.exit() / sys.exit() inside a callback; a program replacing itself with exec
 * (what ran before is in the report; a new Python program is traced too); a program that never exits, with a
 * grandchild that ignores SIGTERM (--timeout ends the whole process group); a fork bomb of 100 traced children
 * (Python; at most 64 traced at once, the rest refused and counted); a program reading its input; 10,000 Python
 * threads (500 at a time) and 100 Node worker threads (50 at a time) started and ended; 50 MB of binary output through a reader
 * that starts late (every byte, unchanged, with back-pressure: bench/hostile has the 1 GB figure); an inspector
 * that stops reading its agent channel (the CLI stopped with SIGSTOP: the program must never wait for it; events
 * are dropped and counted, and the program's exit is not held up).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { cliPath, fixture, readReport, runCli, startCli, tempFile } from './helpers';

const hasPython = spawnSync('python3', ['--version']).status === 0;
const opts = { timeout: 90_000 };
const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

async function waitFor<T>(what: string, probe: () => T | undefined, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const pidIn = (file: string) => () => {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  return /^\d+$/.test(text) ? Number(text) : undefined;
};

/** Whether the process has exited (gone, or a zombie its stopped parent has not reaped). */
function exited(pid: number): boolean {
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** A Node with process.execve (22.15+ / 23.11+): the one on PATH, else the Node 24 of scripts/ensure-vscode.sh. */
function nodeWithExecve(): string | undefined {
  const cache = join(homedir(), '.cache', 'async-inspector');
  const candidates = ['node', ...(existsSync(cache) ? readdirSync(cache).filter((d) => d.startsWith('node-')).map((d) => join(cache, d, 'node_modules', '.bin', 'node')) : [])];
  return candidates.find((node) => spawnSync(node, ['-p', 'typeof process.execve']).stdout?.toString().trim() === 'function');
}
const execveNode = nodeWithExecve();

test('python: os.execvp replacing the process: the tasks before it are reported, the new program’s exit code is ours', { ...opts, skip: !hasPython && 'python3 not found' }, async () => {
  const json = tempFile('report.json');
  const r = await runCli(['run', '--json', json, '--', 'python3', fixture('hostile/exec.py')]);
  assert.equal(r.code, 3, r.stderr);
  assert.equal(r.stdout, 'replaced\n');
  const names = readReport(json).tasks.map((t) => `${t.name}:${t.state}`);
  assert.ok(names.includes('before_exec:done'), names.join());
  assert.match(r.stderr, /exited with code 3/);
});

test('python: os.execvp into another Python program: both programs’ tasks, one session', { ...opts, skip: !hasPython && 'python3 not found' }, async () => {
  const json = tempFile('report.json');
  const r = await runCli(['run', '--json', json, '--', 'python3', fixture('hostile/exec.py'), 'python']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'replaced by python\n');
  const names = readReport(json).tasks.map((t) => `${t.name}:${t.state}`);
  assert.ok(names.includes('before_exec:done') && names.includes('after_exec:done'), names.join());
});

test('node: process.execve replacing the process: the tasks before it are reported, the new program’s exit code is ours', { ...opts, skip: !execveNode && 'no Node with process.execve (22.15+ / 23.11+) here' }, async () => {
  const json = tempFile('report.json');
  const r = await runCli(['run', '--json', json, '--', execveNode!, fixture('hostile/exec.js')]);
  assert.equal(r.code, 3, r.stderr);
  assert.equal(r.stdout, 'replaced\n');
  const names = readReport(json).tasks.map((t) => `${t.name}:${t.state}`);
  assert.ok(names.includes('beforeExec:done'), names.join());
});

const neverExits = [
  { runtime: 'node', command: ['node', fixture('hostile/never_exits.js')], skip: false as const },
  { runtime: 'python', command: ['python3', fixture('hostile/never_exits.py')], skip: !hasPython && 'python3 not found' },
];

for (const { runtime, command, skip } of neverExits) {
  test(`${runtime}: --timeout ends a program that never exits and its whole process group, a grandchild ignoring SIGTERM too`, { ...opts, skip }, async () => {
    const json = tempFile('report.json');
    const r = await runCli(['run', '--timeout', '3', '--json', json, '--', ...command]);
    const pids = /pids (\d+) (\d+) (\d+)/.exec(r.stdout)?.slice(1).map(Number);
    assert.ok(pids, r.stdout + r.stderr);
    try {
      assert.equal(r.code, 143, r.stderr);
      assert.match(r.stderr, /stopped by --timeout 3s/);
      await waitFor('the process group to be gone', () => (pids.every(exited) ? true : undefined), 5000);
      assert.ok(readReport(json).tasks.length > 0);
    } finally {
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone, as it should be
        }
      }
    }
  });
}

test('python: a fork bomb of 100 children (os.fork without exec) from a busy loop: none hangs, 64 traced at once, the rest counted', { ...opts, skip: !hasPython && 'python3 not found' }, async () => {
  const json = tempFile('report.json');
  const r = await runCli(['run', '--json', json, '--', 'python3', fixture('hostile/fork_bomb.py'), '100', '0.5']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /100 children, 0 hung/);
  const report = readReport(json);
  const [parent, ...children] = report.processes ?? [];
  assert.ok(children.length <= 64, `${children.length} children traced`);
  assert.equal(children.length + (report.rejectedConnections ?? 0), 100, 'every child traced or counted');
  assert.equal(new Set(children.map((p) => p.pid)).size, children.length, 'each child says hello as itself');
  assert.ok(children.every((p) => p.pid !== parent.pid && p.parentPid === parent.pid && p.exitCode === 0));
  assert.equal(report.tasks.filter((t) => t.name === 'child_work').length, children.length);
  if (report.rejectedConnections) assert.match(r.stderr, /more than 64 traced processes at once/);
  console.log(`fork bomb: 100 children, ${children.length} traced, ${report.rejectedConnections ?? 0} refused and counted`);
});

for (const { runtime, command, skip } of [
  { runtime: 'node', command: ['node', fixture('hostile/echo_stdin.js')], skip: false as const },
  { runtime: 'python', command: ['python3', fixture('hostile/echo_stdin.py')], skip: !hasPython && 'python3 not found' },
]) {
  test(`${runtime}: a program reading its input gets the CLI's, to its end`, { ...opts, skip }, async () => {
    const child = spawn(process.execPath, [cliPath, 'run', '--', ...command], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d) => (stderr += d));
    const code = new Promise<number | null>((ok) => child.on('close', (c) => ok(c)));
    child.stdin!.write('hello\n');
    await waitFor('the first line echoed', () => (stdout.includes('got HELLO') ? true : undefined), 30_000);
    child.stdin!.end('wörld\n');
    assert.equal(await code, 0, stderr);
    assert.equal(stdout, 'got HELLO\ngot WÖRLD\ninput ended\n');
    assert.match(stderr, /exited with code 0/);
  });
}

test('python: 10,000 threads started and ended (500 at a time), a loop in every tenth: all their tasks, nothing dropped', { ...opts, skip: !hasPython && 'python3 not found' }, async () => {
  const json = tempFile('report.json');
  const r = await runCli(['run', '--json', json, '--', 'python3', fixture('hostile/threads.py'), '10000', '500']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /10000 threads, 10000 ended/);
  const report = readReport(json);
  assert.equal(report.counts.done, 1000);
  assert.equal(report.loops.length, 1000);
  assert.equal(report.droppedEvents, 0);
});

test('node: 100 worker threads (50 at a time) started and ended: the program exits, the workers’ tasks reported', opts, async () => {
  const json = tempFile('report.json');
  // Before the fix, about one run in two never exited (the workers' stall sampler attached to workers as they
  // ended, which could leave the program held by a MessagePort): --timeout turns that into a failure, not a hang.
  const r = await runCli(['run', '--timeout', '75', '--json', json, '--', 'node', fixture('hostile/workers.js'), '100', '50']);
  assert.equal(r.code, 0, r.stderr.slice(-2000));
  const failed = Number(/100 workers, 100 ended, (\d+) failed/.exec(r.stdout)?.[1] ?? NaN);
  assert.ok(failed >= 0, r.stdout);
  // A worker may fail to start on a machine short of memory (seen once here, 1 of 100): said, not ours to judge,
  // unless the error is the agent's.
  if (failed > 0) console.log(`workers that failed to start: ${failed}: ${r.stdout.split('\n').slice(1).join('; ')}`);
  assert.doesNotMatch(r.stdout, /async.inspector|agent-node/i);
  const steps = readReport(json).tasks.filter((t) => t.name === 'workerStep');
  assert.ok(steps.length > 0 && steps.length <= 100, `${steps.length} workerStep tasks kept`);
});

for (const { runtime, ext, skip } of [
  { runtime: 'node', ext: 'js', skip: false as const },
  { runtime: 'python', ext: 'py', skip: !hasPython && 'python3 not found' },
]) {
  const command = [runtime === 'node' ? 'node' : 'python3'];
  test(`${runtime}: killed with SIGKILL mid-run: what arrived is reported, and says so`, { ...opts, skip }, async () => {
    const json = tempFile('report.json');
    const r = await runCli(['run', '--json', json, '--', ...command, fixture(`hostile/killed.${ext}`)]);
    assert.equal(r.code, 137, r.stderr);
    assert.match(r.stdout, /killing myself/);
    assert.match(r.stderr, /killed by SIGKILL after/);
    const report = readReport(json);
    assert.equal(report.signal, 'SIGKILL');
    assert.ok(report.counts.done + report.counts.pending + report.counts.running > 100, JSON.stringify(report.counts));
  });

  test(`${runtime}: exit inside a callback: its code, the pending work reported as it was`, { ...opts, skip }, async () => {
    const json = tempFile('report.json');
    const r = await runCli(['run', '--json', json, '--', ...command, fixture(`hostile/exit_in_callback.${ext}`)]);
    assert.equal(r.code, 4, r.stderr);
    assert.equal(r.stdout, 'exiting from a callback\n');
    assert.match(r.stderr, /exited with code 4/);
    const pending = readReport(json).tasks.find((t) => /pending.?work/i.test(t.name));
    assert.ok(pending, 'the pending work is in the report');
  });
}

/** The sha256 of what output.{js,py} writes: `megabytes` MiB of the bytes 0..255 repeated. */
function expectedOutputHash(megabytes: number): string {
  const block = Buffer.alloc(65536);
  for (let i = 0; i < block.length; i++) block[i] = i & 255;
  const hash = createHash('sha256');
  for (let i = 0; i < megabytes * 16; i++) hash.update(block);
  return hash.digest('hex');
}

const outputPrograms = [
  { runtime: 'node', command: ['node', fixture('hostile/output.js')], skip: false as const },
  { runtime: 'python', command: ['python3', fixture('hostile/output.py')], skip: !hasPython && 'python3 not found' },
];

for (const { runtime, command, skip } of outputPrograms) {
  test(`${runtime}: 50 MB of binary output reach a reader that starts 3 s late, every byte unchanged`, { ...opts, skip }, async () => {
    const child = spawn(process.execPath, [cliPath, 'run', '--', ...command, '50'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d) => (stderr += d));
    const code = new Promise<number | null>((ok) => child.on('close', (c) => ok(c)));
    const hash = createHash('sha256');
    let bytes = 0;
    child.stdout!.pause();
    await sleep(3000); // the program has exited by now, its output still in the pipes
    child.stdout!.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      hash.update(chunk);
    });
    child.stdout!.resume();
    assert.equal(await code, 0, stderr);
    assert.equal(bytes, 50 << 20);
    assert.equal(hash.digest('hex'), expectedOutputHash(50));
  });
}

const stallPrograms = [
  { runtime: 'node', command: ['node', fixture('hostile/stall.js')], skip: false as const },
  { runtime: 'python', command: ['python3', fixture('hostile/stall.py')], skip: !hasPython && 'python3 not found' },
];

for (const { runtime, command, skip } of stallPrograms) {
  test(`${runtime}: the inspector stops reading for 5 s: the program goes on, what could not be sent is dropped and counted`, { ...opts, skip }, async () => {
    const json = tempFile('report.json');
    const pidFile = tempFile('pid');
    const { child, done } = startCli(['run', '--json', json, '--', ...command, pidFile, '8']);
    try {
      await waitFor('the program to start', pidIn(pidFile), 30_000);
      await sleep(500);
      child.kill('SIGSTOP');
      await sleep(5000);
    } finally {
      child.kill('SIGCONT');
    }
    const r = await done;
    assert.equal(r.code, 0, r.stderr);
    const gap = Number(/largest gap (\d+) ms/.exec(r.stdout)?.[1]);
    assert.ok(gap < 3000, `the program waited for the stopped inspector: ${r.stdout}`);
    const report = readReport(json);
    assert.ok(report.tasks.length > 0);
    if (runtime === 'python') assert.ok(report.droppedEvents > 0, 'the Python agent drops past its backlog');
    if (report.droppedEvents > 0) assert.match(r.stderr, new RegExp(`The agent dropped ${report.droppedEvents} events under load`));
    console.log(`${runtime}: inspector stopped 5 s: program's largest gap ${gap} ms, ${report.droppedEvents} events dropped and counted`);
  });

  test(`${runtime}: the program exits while the inspector is stopped: its exit is not held up`, { ...opts, skip }, async () => {
    const json = tempFile('report.json');
    const pidFile = tempFile('pid');
    const { child, done } = startCli(['run', '--json', json, '--', ...command, pidFile, '2']);
    let exitedWhileStopped: boolean;
    try {
      const pid = await waitFor('the program to start', pidIn(pidFile), 30_000);
      await sleep(300);
      child.kill('SIGSTOP');
      exitedWhileStopped = await waitFor('the program to exit', () => (exited(pid) ? true : undefined), 15_000).catch(() => false);
    } finally {
      child.kill('SIGCONT');
    }
    const r = await done;
    assert.ok(exitedWhileStopped, 'the program waited for the stopped inspector at its exit');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /tasks \d+, largest gap/);
    assert.ok(readReport(json).tasks.length > 0);
  });
}
