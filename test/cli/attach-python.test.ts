/**
 * `async-inspector attach PID` on running Python servers: the snapshot (every task, its await line, found at
 * attach), the lock deadlock, detach leaving the server answering, attaching again, the program exiting while
 * attached, and each refusal as one line. The matrix runs every CPython 3.9+ of pyenv plus the cached 3.14/3.15
 * builds of scripts/ensure-python314.sh.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { agentBuilt, cliPath, fixture, readReport, runCli, startCli, tempFile } from './helpers';
import { pythonsForAttach } from './pythons';
import { ask, startServer } from './attach-servers';

const pythons = pythonsForAttach();
const opts = { skip: !agentBuilt && 'run npm run build first' };

test('attach to a Python server: every parked task with its await line, the lock deadlock, detach leaves it serving', opts, async () => {
  const srv = await startServer('python3');
  try {
    const json = tempFile('attach.json');
    const r = await runCli(['attach', String(srv.child.pid), '--duration', '3', '--json', json, '--fail-on', 'deadlock']);
    assert.equal(r.code, 1, `--fail-on deadlock must fail:\n${r.stderr}`);
    assert.match(r.stderr, /attached, then detached \(the program keeps running\)/);
    assert.match(r.stderr, /found at attach/);
    const report = readReport(json);
    const parked = report.tasks.filter((t) => t.name === 'parked');
    assert.equal(parked.length, 300, 'every parked task is in the snapshot');
    for (const t of parked) {
      assert.equal(t.state, 'pending');
      assert.equal(t.foundAtAttach, 'definition');
      assert.equal(t.created?.line, 12);
      assert.equal(t.awaitAt?.line, 13, 'its await line');
    }
    const deadlocks = report.flags.filter((f) => f.kind === 'deadlock');
    assert.deepEqual(deadlocks.map((f) => f.location?.line).sort(), [19, 26], 'both lock waits flagged');
    assert.match(deadlocks[0].message, /held by task (left|right)/);
    assert.match(await ask(srv.port), /^pong \d+$/, 'the server still answers after detach');

    // Attach again: the agent was removed cleanly, so it can be loaded a second time.
    const again = await runCli(['attach', String(srv.child.pid), '--duration', '1']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /Tasks: 30\d seen/);
    assert.match(await ask(srv.port), /^pong \d+$/);
  } finally {
    srv.stop();
  }
});

test('attaching while another inspector is attached says so; requests after the attach are traced in full', opts, async () => {
  const srv = await startServer('python3');
  try {
    const json = tempFile('first.json');
    const first = startCli(['attach', String(srv.child.pid), '--duration', '5', '--json', json]);
    let firstErr = '';
    first.child.stderr!.on('data', (d: string) => (firstErr += d));
    while (!/attached to python process/.test(firstErr)) await new Promise((ok) => setTimeout(ok, 50));
    const second = await runCli(['attach', String(srv.child.pid), '--duration', '1']);
    assert.equal(second.code, 2);
    assert.match(second.stderr, /already traced by Async Inspector/);
    assert.equal(second.stderr.trim().split('\n').length, 1, second.stderr);
    await ask(srv.port);
    const r = await first.done;
    assert.equal(r.code, 0, r.stderr);
    const handled = readReport(json).tasks.filter((t) => t.name === 'handle');
    assert.ok(handled.length >= 1, 'the request after the attach is a task');
    assert.ok(handled.every((t) => !t.foundAtAttach && t.state === 'done' && t.created?.line), 'with its creation site and end');
  } finally {
    srv.stop();
  }
});

test('under load: every request made during the attach and after it is answered', opts, async () => {
  const srv = await startServer('python3', { PARKED: '200' });
  try {
    let stop = false;
    let answered = 0;
    let worstMs = 0;
    const client = (async () => {
      while (!stop) {
        const t0 = performance.now();
        assert.match(await ask(srv.port), /^pong/);
        worstMs = Math.max(worstMs, performance.now() - t0);
        answered++;
      }
    })();
    const r = await runCli(['attach', String(srv.child.pid), '--duration', '2']);
    stop = true;
    await client;
    assert.equal(r.code, 0, r.stderr);
    assert.ok(answered > 20, `requests answered: ${answered}`);
    console.log(`under load: ${answered} requests answered during the attach, the slowest in ${worstMs.toFixed(0)} ms`);
  } finally {
    srv.stop();
  }
});

test('without --duration, Ctrl+C detaches and still writes the report and the trace', opts, async () => {
  const srv = await startServer('python3', { PARKED: '4' });
  try {
    const json = tempFile('ctrlc.json');
    const trace = tempFile('ctrlc.trace.json');
    const cli = startCli(['attach', String(srv.child.pid), '--json', json, '--trace', trace]);
    let err = '';
    cli.child.stderr!.on('data', (d: string) => (err += d));
    while (!/following it until Ctrl\+C/.test(err)) await new Promise((ok) => setTimeout(ok, 50));
    await new Promise((ok) => setTimeout(ok, 500));
    cli.child.kill('SIGINT');
    const r = await cli.done;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /attached, then detached/);
    assert.equal(readReport(json).tasks.filter((t) => t.name === 'parked').length, 4);
    const events = JSON.parse(readFileSync(trace, 'utf8')) as { traceEvents?: unknown[] };
    assert.ok(Array.isArray(events.traceEvents) && events.traceEvents.length > 0, 'a Chrome trace');
    assert.match(await ask(srv.port), /^pong/);
  } finally {
    srv.stop();
  }
});

test('a loop in a helper thread while the main thread joins it: its tasks are found', opts, async () => {
  const child = spawn('python3', [fixture('attach/py_thread_loop.py')], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await new Promise<void>((ok) => child.stdout!.on('data', (d: Buffer) => d.toString().includes('READY') && ok()));
    const json = tempFile('thread-loop.json');
    const r = await runCli(['attach', String(child.pid), '--duration', '1.5', '--json', json]);
    assert.equal(r.code, 0, r.stderr);
    const report = readReport(json);
    assert.equal(report.tasks.filter((t) => t.name === 'parked' && t.state === 'pending').length, 3);
    assert.deepEqual(report.loops.map((l) => l.thread), ['loop-thread']);
  } finally {
    child.kill('SIGKILL');
  }
});

test('asyncio debug mode kept the creation stacks: tasks found at attach get their creation line', opts, async () => {
  const srv = await startServer('python3', { PARKED: '3', PYTHONASYNCIODEBUG: '1' });
  try {
    const json = tempFile('debug-mode.json');
    const r = await runCli(['attach', String(srv.child.pid), '--duration', '1', '--json', json]);
    assert.equal(r.code, 0, r.stderr);
    const parked = readReport(json).tasks.filter((t) => t.name === 'parked');
    assert.equal(parked.length, 3);
    const line = readFileSync(fixture('attach/py_server.py'), 'utf8').split('\n').findIndex((l) => l.includes('ensure_future(parked(')) + 1;
    for (const t of parked) {
      assert.equal(t.foundAtAttach, 'creation');
      assert.equal(t.created?.line, line, 'the line that created it');
    }
  } finally {
    srv.stop();
  }
});

test('the program exiting while attached ends the attach', opts, async () => {
  const srv = await startServer('python3', { EXIT_AFTER: '8', PARKED: '5' });
  const r = await runCli(['attach', String(srv.child.pid)]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /the program exited/);
});

test('bad targets: one line each, never a hang', opts, async () => {
  const gone = await runCli(['attach', '999999']);
  assert.equal(gone.code, 2);
  assert.match(gone.stderr, /^async-inspector: no process with id 999999/);
  const sleeper = spawn('sleep', ['30']);
  try {
    const r = await runCli(['attach', String(sleeper.pid)]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /is not a Node.js or Python program/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  } finally {
    sleeper.kill();
  }
  const usage = await runCli(['attach', 'abc']);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /"abc" is not a process id/);
});

test('a process another debugger traces: one line naming the tracer', opts, async () => {
  const srv = await startServer('python3', { PARKED: '3' });
  const gdb = spawn('gdb', ['-nx', '-batch', '-q', '-p', String(srv.child.pid), '-ex', 'shell sleep 6'], { stdio: 'ignore' });
  try {
    const deadline = Date.now() + 10_000;
    const traced = () => /TracerPid:\s*[1-9]/.test(readFileSync(`/proc/${srv.child.pid}/status`, 'utf8'));
    while (!traced() && Date.now() < deadline) await new Promise((ok) => setTimeout(ok, 50));
    const r = await runCli(['attach', String(srv.child.pid), '--duration', '1']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /is being traced by process \d+ \(a debugger, or another attach in progress\): detach that first/);
  } finally {
    gdb.kill('SIGKILL');
    srv.stop();
  }
});

const asRoot = process.getuid?.() === 0 && existsSync('/usr/bin/setpriv') && existsSync('/usr/bin/python3');
test('another user\'s process, and a process ptrace may not touch: one line each', { skip: !asRoot && 'needs root and setpriv to play two users' }, async () => {
  const nobody = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];
  const asNobody = (args: string[]) => spawnSync(nobody[0], [...nobody.slice(1), process.execPath, cliPath, ...args], { encoding: 'utf8', timeout: 30_000 });
  const mine = await startServer('python3', { PARKED: '3' });
  // Non-dumpable (as setuid programs are): even its own user may not ptrace it.
  const guarded = spawn(nobody[0], [...nobody.slice(1), '/usr/bin/python3', '-c', 'import ctypes, time; ctypes.CDLL(None).prctl(4, 0); time.sleep(30)'], { stdio: 'ignore' });
  try {
    const other = asNobody(['attach', String(mine.child.pid)]);
    assert.equal(other.status, 2);
    assert.match(other.stderr, /belongs to another user: run the inspector as that user/);
    await new Promise((ok) => setTimeout(ok, 500));
    const denied = asNobody(['attach', String(guarded.pid)]);
    assert.equal(denied.status, 2);
    assert.match(denied.stderr, /not permitted to trace process \d+ \(ptrace\)/);
    assert.equal(denied.stderr.trim().split('\n').length, 1);
  } finally {
    mine.stop();
    guarded.kill('SIGKILL');
  }
});

const py314 = pythons.find((p) => p.minor >= 14);
test('Python 3.14+ with remote debugging disabled is refused with what to do', { skip: !py314 && 'no CPython 3.14 (scripts/ensure-python314.sh)' }, async () => {
  for (const [env, args] of [[{ PYTHON_DISABLE_REMOTE_DEBUG: '1' }, []], [{}, ['-X', 'disable-remote-debug']]] as const) {
    const srv = await startServer(py314!.path, { ...env, PARKED: '3' }, [...args]);
    try {
      const r = await runCli(['attach', String(srv.child.pid), '--duration', '1']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /remote debugging disabled .*restart it without that/);
    } finally {
      srv.stop();
    }
  }
});

for (const py of pythons) {
  test(`attach matrix: CPython ${py.version} (${py.minor >= 14 ? 'sys.remote_exec' : 'gdb'})`, opts, async () => {
    const srv = await startServer(py.path, { PARKED: '50' });
    try {
      const json = tempFile('m.json');
      const r = await runCli(['attach', String(srv.child.pid), '--duration', '2', '--json', json]);
      assert.equal(r.code, 0, r.stderr);
      const report = readReport(json);
      assert.equal(report.tasks.filter((t) => t.name === 'parked' && t.awaitAt?.line === 13).length, 50);
      assert.equal(report.flags.filter((f) => f.kind === 'deadlock').length, 2, JSON.stringify(report.flags));
      assert.match(await ask(srv.port), /^pong/);
    } finally {
      srv.stop();
    }
  });
}
