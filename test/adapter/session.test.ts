import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { TaskProgress, TaskView } from '../../src/model/types';
import { fixture, isAlive, launch, startAdapter, text } from './harness';

const clients: DebugClient[] = [];
after(() => Promise.all(clients.map((dc) => dc.stop())));
async function adapter(): Promise<DebugClient> {
  const dc = await startAdapter();
  clients.push(dc);
  return dc;
}

test('a Node program: session event, a task seen pending then done, output in order, exit code, clean end', async () => {
  const dc = await adapter();
  const rec = await launch(dc, { program: fixture('tasks.js') });
  await rec.terminated;

  assert.equal(rec.sessions.length, 1, 'one session event');
  assert.equal(rec.sessions[0].runtime, 'node');
  assert.ok(rec.deltas.length >= 2, `got ${rec.deltas.length} deltas`);
  const states = (name: string) =>
    rec.deltas.flatMap(({ delta }) => [...delta.upserts, ...(delta.progress ?? [])].filter((t: TaskView | TaskProgress) => t.name === name).map((t) => t.state));
  const seen = states('slowStep');
  assert.ok(seen.includes('pending'), `slowStep states seen: ${seen.join(',')}`);
  assert.equal(seen.at(-1), 'done');

  assert.equal(text(rec, 'stdout'), 'out 1\nout 2 ok\n');
  assert.equal(text(rec, 'stderr'), 'err 1\nerr 2\n');
  assert.match(text(rec, 'console'), /Program exited with code 3\n/);
  assert.deepEqual(rec.exited, [3]);
  assert.equal(rec.ended.length, 1);
  assert.equal(rec.ended[0].exitCode, 3);
  assert.equal(rec.ended[0].report.schema, 1);
  assert.ok(rec.ended[0].report.tasks.some((t) => t.name === 'slowStep' && t.state === 'done'));
  // The final delta comes before 'ended', and the program's last words before the exit notice.
  const tail = rec.order.slice(rec.order.lastIndexOf('asyncInspector/delta'));
  assert.deepEqual(tail.filter((n) => n !== 'output'), ['asyncInspector/delta', 'asyncInspector/ended', 'exited', 'terminated']);

  const snapshot = await dc.customRequest('asyncInspector/snapshot');
  assert.equal(snapshot.body.reset, true);
  assert.ok(snapshot.body.upserts.some((t: TaskView) => t.name === 'slowStep' && t.state === 'done'), 'snapshot still answers after the end');
  const threads = await dc.threadsRequest();
  assert.deepEqual(threads.body.threads.map((t) => t.name), ['tasks.js']);
});

test('a flood of output arrives complete and in order', async () => {
  const dc = await adapter();
  const rec = await launch(dc, { program: fixture('flood.js'), args: ['20000'] });
  await rec.terminated;
  const out = text(rec, 'stdout').split('\n');
  assert.equal(out.length, 20002);
  for (let i = 0; i < 20000; i += 997) assert.ok(out[i].startsWith(`out ${i} `), `line ${i}: ${out[i].slice(0, 20)}`);
  assert.equal(out[19999].slice(0, 10), 'out 19999 ');
  assert.equal(out[20000], 'out done — ünïcödé ✓');
  const err = text(rec, 'stderr').split('\n');
  assert.equal(err.length, 2001);
  assert.equal(err[1999], 'err 19990');
});

test('terminate stops a long-running program and its children; the pids are gone', async () => {
  const dc = await adapter();
  const rec = await launch(dc, { program: fixture('forever.js') });
  const pids = await waitFor(() => /pid=(\d+) child=(\d+)/.exec(text(rec, 'stdout')));
  const [pid, child] = [Number(pids[1]), Number(pids[2])];
  assert.ok(isAlive(pid) && isAlive(child));
  await dc.terminateRequest();
  await rec.terminated;
  assert.equal(isAlive(pid), false, 'program still alive after terminate');
  await waitFor(() => !isAlive(child) || undefined, 2000).catch(() => assert.fail('child process survived terminate'));
  assert.match(text(rec, 'console'), /Program exited with (signal SIGTERM|code)/);
  assert.equal(rec.ended.length, 1);
});

test('a program that ignores SIGTERM is killed after the grace period', async () => {
  const dc = await adapter();
  const rec = await launch(dc, { program: fixture('forever.js'), args: ['stubborn'] });
  const pid = Number((await waitFor(() => /pid=(\d+)/.exec(text(rec, 'stdout'))))[1]);
  const started = Date.now();
  await dc.terminateRequest();
  await rec.terminated;
  assert.equal(isAlive(pid), false);
  assert.match(text(rec, 'stdout'), /ignoring SIGTERM/);
  assert.match(text(rec, 'console'), /Program exited with signal SIGKILL/);
  assert.ok(Date.now() - started < 5000, 'escalated to SIGKILL within the grace period');
  assert.equal(rec.exited[0], 137);
});

test('a program that crashes at startup: its error on stderr, exit code 1, the session still ends cleanly', async () => {
  const dc = await adapter();
  const rec = await launch(dc, { program: fixture('crash.js') });
  await rec.terminated;
  assert.equal(text(rec, 'stdout'), 'starting\n');
  assert.match(text(rec, 'stderr'), /Error: boom at startup/);
  assert.deepEqual(rec.exited, [1]);
  assert.equal(rec.ended[0].exitCode, 1);
});

test('disconnect also kills the program', async () => {
  const dc = await adapter();
  const rec = await launch(dc, { program: fixture('forever.js') });
  const pid = Number((await waitFor(() => /pid=(\d+)/.exec(text(rec, 'stdout'))))[1]);
  await dc.disconnectRequest({ terminateDebuggee: true });
  assert.equal(isAlive(pid), false, 'program still alive after disconnect');
  clients.splice(clients.indexOf(dc), 1); // the adapter exits after a disconnect: nothing left to stop
});

test('when the client goes away (adapter stdin closed) the program does not outlive the adapter', async () => {
  const dc = await adapter();
  const rec = await launch(dc, { program: fixture('forever.js') });
  const pid = Number((await waitFor(() => /pid=(\d+)/.exec(text(rec, 'stdout'))))[1]);
  const adapterProcess = (dc as unknown as { _adapterProcess: ChildProcess })._adapterProcess;
  const adapterExit = new Promise((ok) => adapterProcess.once('exit', ok));
  clients.splice(clients.indexOf(dc), 1);
  adapterProcess.stdin!.end();
  await adapterExit;
  await waitFor(() => !isAlive(pid) || undefined, 2000).catch(() => assert.fail('program survived its adapter'));
});

test('args, runtimeArgs, cwd, env and settings reach the program; absurd numbers are clamped with a note', async () => {
  process.env.AI_TEST_REMOVED = 'inherited'; // the adapter inherits it; the launch configuration removes it
  const dc = await adapter();
  delete process.env.AI_TEST_REMOVED;
  const cwd = tmpdir();
  const rec = await launch(dc, {
    program: fixture('env.js'), args: ['one', 'two words'], runtimeArgs: ['--no-warnings'], cwd,
    env: { AI_TEST_ADDED: 'yes', AI_TEST_REMOVED: null }, blockThresholdMs: 0, maxFinishedTasks: -1,
  });
  await rec.terminated;
  const seen = JSON.parse(text(rec, 'stdout'));
  assert.deepEqual(seen.args, ['one', 'two words']);
  assert.equal(realpathSync(seen.cwd), realpathSync(cwd));
  assert.ok(seen.execArgv.includes('--no-warnings'));
  assert.equal(seen.added, 'yes');
  assert.equal(seen.removed, null);
  assert.equal(seen.config.blockThresholdMs, 1);
  assert.match(text(rec, 'console'), /"blockThresholdMs" 0 is outside 1–600000; using 1/);
  assert.match(text(rec, 'console'), /"maxFinishedTasks" -1 is outside 0–1000000; using 0/);
});

test('launch errors are clear: missing program, bad runtime', async () => {
  const dc = await adapter();
  await dc.initializeRequest();
  await assert.rejects(dc.launchRequest({ program: fixture('missing.js') } as never), (err: Error) => {
    assert.equal(err.message, `program not found: ${fixture('missing.js')}`);
    return true;
  });
  await assert.rejects(
    dc.launchRequest({ program: fixture('tasks.js'), runtimeExecutable: 'node-that-does-not-exist' } as never),
    /^Error: runtime not found: node-that-does-not-exist$/,
  );
  await assert.rejects(dc.customRequest('asyncInspector/snapshot'), /No program has been launched/);
});

async function waitFor<T>(probe: () => T | null | undefined, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > until) throw new Error('timed out waiting');
    await sleep(20);
  }
}
