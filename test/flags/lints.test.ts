/** End-of-run lint details users see: pending-at-exit's stack names each line once. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InspectorModel } from '../../src/model/model';
import type { AgentEvent } from '../../src/protocol/events';
import { batch, create, hello, site } from '../unit/helpers';

test('pending-at-exit: `await new Promise(...)` on one line appears once in the stack', () => {
  const m = new InspectorModel();
  m.apply(0, hello());
  m.apply(0, batch([
    site(1, 10, 'main'), site(2, 7, 'main'), site(3, 3, 'waitForSignal'),
    create(1, 'main', 0, null, 1),
    create(2, 'waitForSignal', 1, 1, 2),
    create(3, 'new Promise', 2, 2, 3),
    { e: 'await', id: 1, on: [2], site: 2, t: 3 },
    { e: 'await', id: 2, on: [3], site: 3, t: 3 },
  ]));
  m.finish({ code: 0, signal: null });
  const [flag] = m.report({ command: [] }).flags;
  assert.equal(flag.kind, 'pending-at-exit');
  assert.equal(flag.location!.line, 3);
  assert.deepEqual(flag.stack!.map((l) => l.line), [3, 7]);
});

const finding = (kind: string, siteId: number, task?: number): AgentEvent =>
  ({ e: 'finding', kind, message: `${kind} here`, t: 5, site: siteId, ...(task !== undefined ? { task } : {}) });

test('one mistake, one flag: asyncio.run() in a running loop is not also reported as a never-awaited coroutine', () => {
  const m = new InspectorModel();
  m.apply(0, hello(1_000_000, 'python'));
  m.apply(0, batch([site(1, 11, 'main', '/w/app.py'), site(2, 20, 'other', '/w/app.py'),
    finding('asyncio-run-in-loop', 1), finding('never-awaited', 1), finding('never-awaited', 2)]));
  assert.deepEqual(m.report({ command: [] }).flags.map((f) => `${f.kind}@${f.location!.line}`), ['asyncio-run-in-loop@11', 'never-awaited@20']);
});

test('one mistake, one flag: result() too early replaces the failed task\'s exception-never-retrieved, whichever comes first', () => {
  const m = new InspectorModel();
  m.apply(0, hello(1_000_000, 'python'));
  m.apply(0, batch([site(1, 16, 'main', '/w/app.py'), site(2, 11, 'use', '/w/app.py'), create(7, 'use', 1, null, 1), create(8, 'other', 1, null, 1)]));
  m.apply(0, batch([finding('exception-never-retrieved', 1, 7), finding('exception-never-retrieved', 1, 8)]));
  const shown = m.takeDelta()!.flags;
  m.apply(0, batch([finding('result-before-done', 2, 7)]));
  const delta = m.takeDelta()!;
  assert.deepEqual(delta.retractedFlags, [shown.find((f) => f.task === '7')!.id], 'the view drops the repeated flag');
  assert.deepEqual(m.report({ command: [] }).flags.map((f) => f.kind).sort(), ['exception-never-retrieved', 'result-before-done']);
});

test('pending-at-exit (Python): a task parked on an Event or Queue when the main thread\'s loop stopped for good is flagged at its await', () => {
  const cases = [
    { runtime: 'python', thread: 'MainThread', flags: ['pending-at-exit@6'] },
    { runtime: 'python', thread: 'Thread-1 (serve)', flags: [] }, // a daemon thread's loop may still be serving
    { runtime: 'node', thread: 'main', flags: [] }, // Node's awaited promises are tracked: the chain rule covers it
  ] as const;
  for (const { runtime, thread, flags } of cases) {
    const m = new InspectorModel();
    m.apply(0, hello(1_000_000, runtime));
    m.apply(0, batch([
      site(1, 10, 'main', '/w/app.py'), site(2, 6, 'wait_for_signal', '/w/app.py'),
      { e: 'loop', id: 1, name: 'loop', thread, t: 0 },
      { e: 'create', id: 1, kind: 'task', name: 'wait_for_signal', parent: null, site: 1, loop: 1, t: 1 },
      { e: 'await', id: 1, on: [], site: 2, t: 2 },
    ]));
    m.finish({ code: 0, signal: null });
    assert.deepEqual(m.report({ command: [] }).flags.map((f) => `${f.kind}@${f.location!.line}`), flags, `${runtime} ${thread}`);
  }
});
