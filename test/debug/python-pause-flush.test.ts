/**
 * Flush at a debugger stop, Python: the program runs under debugpy with the agent injected into its `debugpy`
 * launch configuration (debugpy-session.ts). At a breakpoint inside a coroutine, while the program stays
 * stopped, the inspection must hold what happened right before the stop (a task created in the same loop
 * step), the other tasks' await lines and the paused task; a step is a new stop; Continue → the run ends with
 * the final states. Every CPython 3.9–3.13 on the machine (3.12+ trace through sys.monitoring: there the
 * agent's writer runs at a stop only because its thread carries pydevd's marks).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TaskView } from '../../src/model/types';
import { debugpySession, interpreters, lineOf, program, runToEnd, until } from './debugpy-session';

for (const [version, python] of interpreters) {
  test(`debugpy ${version}: at a breakpoint the inspection holds the program as of the stop`, { timeout: 120_000 }, async () => {
    const s = await debugpySession(python, version);
    const { dap, inspection, stopped } = s;
    try {
      const threads = await dap.request('threads');
      assert.ok(!(threads.body!.threads as { name: string }[]).some((t) => t.name.startsWith('async-inspector')),
        'the agent\'s threads are hidden from the debugger');

      // The program stays stopped: what arrives now was sent by the agent's writer during the pause.
      const paused = await until('the paused event', () => inspection.paused);
      assert.deepEqual(inspection.info?.command.slice(1), [program], 'the program\'s command line, without debugpy\'s token');
      const snapshot = inspection.snapshot();
      const tasks = snapshot.upserts;
      const site = (id: number | null | undefined) => snapshot.sites?.find((s) => s.id === id);
      const byName = (name: string): TaskView => {
        const t = tasks.find((x) => x.name === name);
        assert.ok(t, `${name} is in the model (${tasks.map((x) => x.name).join(', ')})`);
        return t;
      };
      assert.equal(paused.task, byName('checkout').id, 'the paused task is checkout');
      assert.equal(byName('checkout').state, 'running');
      assert.ok(byName('audit'), 'audit, created in the same step right before the breakpoint, is there');
      for (const name of ['fetch_user', 'load_cart', 'send_mail']) {
        const t = byName(name);
        assert.equal(t.state, 'pending', `${name} is pending`);
        assert.equal(site(t.awaitAt)?.file, program, `${name} shows where it waits`);
        assert.equal(site(t.awaitAt)?.line, lineOf(`# AWAIT ${name}`), `${name}'s await line`);
      }

      // A step is a new stop: announced again, with checkout still the paused task.
      const stops = paused.count;
      await dap.request('next', { threadId: stopped.body!.threadId });
      assert.equal((await dap.event('stopped')).body!.reason, 'step');
      const again = await until('the paused event of the step', () => (inspection.paused!.count > stops ? inspection.paused : undefined));
      assert.equal(again.task, byName('checkout').id);

      await new Promise((r) => setTimeout(r, 300)); // time at a stop is not a stall
      await runToEnd(s);
      const end = await inspection.end();
      const final = new Map(end.report.tasks.map((t) => [t.name, t.state]));
      assert.deepEqual(
        ['checkout', 'audit', 'fetch_user', 'load_cart', 'send_mail'].map((n) => [n, final.get(n)]),
        [['checkout', 'done'], ['audit', 'done'], ['fetch_user', 'done'], ['load_cart', 'done'], ['send_mail', 'cancelled']],
      );
      assert.deepEqual(end.report.flags.filter((f) => f.kind === 'blocking-call'), [], 'no blocking call for the time at the breakpoint');
      assert.match(dap.output, /checkout done/);
    } finally {
      await s.close();
    }
  });
}
