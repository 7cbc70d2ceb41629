/**
 * The injection under debugpy, where it can go wrong: a user's own sitecustomize on PYTHONPATH must still run
 * (and the agent too); `python -I` keeps the agent out, and then debugging goes on untouched and the session
 * has one clear message to show. And a stop outside the loop thread: in an executor job.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { agentAbsent, HELLO_GRACE_MS } from '../../src/inspection/inject-python';
import { debugpySession, interpreters, repo, runToEnd, until } from './debugpy-session';

const userSite = join(repo, 'test/fixtures/python/site_route/user_site');
const [newest] = interpreters.slice(-1);
const [oldest] = interpreters;

for (const [version, python] of new Map([oldest, newest])) {
  test(`debugpy ${version}: a user's sitecustomize still runs, and so does the agent`, { timeout: 120_000 }, async () => {
    const s = await debugpySession(python, version, { env: { PYTHONPATH: userSite } });
    try {
      assert.equal(s.warning, undefined);
      // The hello comes before debugpy's own code runs: the session may count on it by its first DAP event.
      const info = await until('the hello', () => s.inspection.info, HELLO_GRACE_MS);
      assert.equal(info.runtime, 'python');
      await until('the agent', () => s.inspection.paused);
      await runToEnd(s);
      assert.match(s.dap.output, /user sitecustomize ran/);
      assert.match(s.dap.output, /checkout done/);
    } finally {
      await s.close();
    }
  });

  test(`debugpy ${version}: python -I keeps the agent out, debugging goes on, one message says why`, { timeout: 120_000 }, async () => {
    const s = await debugpySession(python, version, { pythonArgs: ['-I'] });
    try {
      assert.match(s.warning ?? '', /cannot load.*-I.*debugging is not affected/);
      await new Promise((r) => setTimeout(r, HELLO_GRACE_MS));
      assert.equal(s.inspection.info, undefined, 'no agent said hello');
      assert.ok(agentAbsent([], performance.now() - s.initializedAt), 'the session can tell');
      await runToEnd(s);
      assert.match(s.dap.output, /checkout done/);
      assert.doesNotMatch(s.dap.output + s.dap.stderr, /async-inspector|Traceback/);
    } finally {
      await s.close();
    }
  });
}

test(`debugpy ${newest[0]}: a breakpoint in an executor thread pauses that executor job`, { timeout: 120_000 }, async () => {
  const file = join(repo, 'test/fixtures/python/debug/paused_executor.py');
  const s = await debugpySession(newest[1], newest[0], {}, { file, fn: 'crunch' });
  try {
    const paused = await until('the paused event', () => s.inspection.paused);
    const tasks = s.inspection.snapshot().upserts;
    const job = tasks.find((t) => t.id === paused.task);
    assert.equal(job?.kind, 'executor', `the paused task is the executor job (${JSON.stringify(job)})`);
    assert.equal(job?.state, 'running');
    // main may still be in the step that submitted the job: debugpy stops every thread where it is.
    assert.ok(['pending', 'running'].includes(tasks.find((t) => t.name === 'main')?.state ?? ''), 'main waits for the job');
    await runToEnd(s);
    assert.match(s.dap.output, /crunched 42/);
  } finally {
    await s.close();
  }
});

test(`debugpy ${newest[0]}: console integratedTerminal (the Python Debugger's default) gets the agent too`, { timeout: 120_000 }, async () => {
  const s = await debugpySession(newest[1], newest[0], { console: 'integratedTerminal' });
  try {
    const paused = await until('the paused event', () => s.inspection.paused);
    assert.equal(paused.task, s.inspection.snapshot().upserts.find((t) => t.name === 'checkout')?.id);
    await runToEnd(s);
    assert.match(s.dap.output, /checkout done/);
  } finally {
    await s.close();
  }
});

test(`debugpy ${newest[0]}: a "module" launch gets the agent too`, { timeout: 120_000 }, async () => {
  const cwd = join(repo, 'test/fixtures/python/debug');
  const s = await debugpySession(newest[1], newest[0], { program: undefined, module: 'paused_task', cwd });
  try {
    await until('the paused event', () => s.inspection.paused);
    assert.deepEqual(s.inspection.info?.command.slice(1), ['-m', 'paused_task']);
    await runToEnd(s);
    assert.match(s.dap.output, /checkout done/);
  } finally {
    await s.close();
  }
});
