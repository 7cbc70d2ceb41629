/**
 * Hostile and unlucky programs in a debug session (issue #16, suite 4), over real DAP, both runtimes: stopping the
 * session ends a program that never exits with its whole process group (a grandchild ignoring SIGTERM too); a
 * program reading its input gets the lines typed in the Debug Console.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { adapterPool, launch, root, text } from './harness';

const hasPython = spawnSync('python3', ['--version']).status === 0;
const hostile = (name: string) => join(root, 'test', 'cli', 'fixtures', 'hostile', name);
const adapter = adapterPool();

async function waitFor<T>(probe: () => T | undefined | null, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== null) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(50);
  }
}

/** Gone, or a zombie nobody reaped yet. */
function exited(pid: number): boolean {
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

for (const { runtime, program, skip } of [
  { runtime: 'node', program: hostile('never_exits.js'), skip: false as const },
  { runtime: 'python', program: hostile('never_exits.py'), skip: !hasPython && 'python3 not found' },
]) {
  test(`${runtime}: stopping the session ends a program that never exits and its whole process group`, { skip }, async () => {
    const dc = await adapter();
    const rec = await launch(dc, { program });
    const pids = (await waitFor(() => /pids (\d+) (\d+) (\d+)/.exec(text(rec, 'stdout')))).slice(1).map(Number);
    try {
      await sleep(300);
      await dc.terminateRequest();
      await rec.terminated;
      await waitFor(() => (pids.every(exited) ? true : undefined), 5000).catch(() =>
        assert.fail(`still running after the stop: ${pids.filter((p) => !exited(p)).join(', ')}`));
      assert.equal(rec.ended.length, 1);
      assert.match(text(rec, 'console'), /Program exited with signal SIGTERM/);
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

for (const { runtime, program, skip } of [
  { runtime: 'node', program: hostile('echo_stdin.js'), skip: false as const },
  { runtime: 'python', program: hostile('echo_stdin.py'), skip: !hasPython && 'python3 not found' },
]) {
  test(`${runtime}: a line typed in the Debug Console goes to the program's input`, { skip }, async () => {
    const dc = await adapter();
    const rec = await launch(dc, { program });
    await waitFor(() => rec.sessions[0]);
    await dc.evaluateRequest({ expression: 'hello', context: 'repl' });
    await waitFor(() => (text(rec, 'stdout').includes('got HELLO') ? true : undefined));
    await assert.rejects(dc.evaluateRequest({ expression: 'x', context: 'hover' }), /never pauses the program/);
    await dc.evaluateRequest({ expression: 'bye', context: 'repl' });
    await rec.terminated;
    assert.equal(text(rec, 'stdout'), 'got HELLO\ninput ended\n');
    assert.deepEqual(rec.exited, [0]);
    await assert.rejects(dc.evaluateRequest({ expression: 'late', context: 'repl' }), /none is running/);
  });
}
