/**
 * The injection under debugpy, where it can go wrong: a user's own sitecustomize on PYTHONPATH must still run
 * (and the agent too); `python -I` keeps the agent out, and then debugging goes on untouched and the session
 * has one clear message to show.
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
