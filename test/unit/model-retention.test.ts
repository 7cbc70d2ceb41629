import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InspectorModel } from '../../src/model/model';
import type { AgentEvent } from '../../src/protocol/events';
import { batch, create, hello } from './helpers';

const end = (id: number, t: number): AgentEvent => ({ e: 'end', id, state: 'done', t });

test('only the newest maxFinishedTasks finished tasks are kept; live tasks never retire', () => {
  const m = new InspectorModel({ maxFinishedTasks: 3 });
  m.apply(0, hello());
  const events: AgentEvent[] = [create(100, 'live', 0)];
  for (let i = 1; i <= 10; i++) events.push(create(i, `t${i}`, i), end(i, i + 0.5));
  m.apply(0, batch(events));
  const snap = m.snapshot();
  assert.deepEqual(snap.upserts.map((t) => t.id).sort(), ['10', '100', '8', '9']);
  assert.equal(snap.retired, 7);
  assert.equal(snap.counts.done, 10, 'retired tasks still count');
  assert.equal(snap.counts.pending, 1);
  const report = m.report({ command: ['node', 'a.js'] });
  assert.equal(report.retiredTasks, 7);
  assert.equal(report.tasks.length, 4);
});

test('a retired task is announced in removed only if a delta had shown it', () => {
  const m = new InspectorModel({ maxFinishedTasks: 1 });
  m.apply(0, hello());
  m.apply(0, batch([create(1, 'a', 0), end(1, 1)]));
  assert.deepEqual(m.takeDelta()!.upserts.map((t) => t.id), ['1']);
  // 2 finishes: 1 retires (was shown → removed). 3 finishes: 2 retires (never shown → not mentioned).
  m.apply(0, batch([create(2, 'b', 2), end(2, 3), create(3, 'c', 4), end(3, 5)]));
  const d = m.takeDelta()!;
  assert.deepEqual(d.removed, ['1']);
  assert.deepEqual(d.upserts.map((t) => t.id), ['3']);
  assert.equal(d.retired, 2);
});

test('maxFinishedTasks 0 keeps no finished task at all', () => {
  const m = new InspectorModel({ maxFinishedTasks: 0 });
  m.apply(0, hello());
  m.apply(0, batch([create(1, 'a', 0), create(2, 'b', 0), end(1, 1)]));
  assert.deepEqual(m.snapshot().upserts.map((t) => t.id), ['2']);
});

test('retention holds memory bounded over a long run', () => {
  const m = new InspectorModel({ maxFinishedTasks: 100 });
  m.apply(0, hello());
  for (let b = 0; b < 200; b++) {
    const events: AgentEvent[] = [];
    for (let i = 0; i < 500; i++) {
      const id = b * 500 + i;
      events.push(create(id, 'x', id), end(id, id + 1));
    }
    m.apply(0, batch(events));
    m.takeDelta();
  }
  const snap = m.snapshot();
  assert.equal(snap.upserts.length, 100);
  assert.equal(snap.retired, 100_000 - 100);
  assert.equal(snap.counts.done, 100_000);
});

test('without anyone taking deltas (the CLI), retired tasks are not held on to', () => {
  const m = new InspectorModel({ maxFinishedTasks: 10 });
  m.apply(0, hello());
  for (let b = 0; b < 100; b++) {
    const events: AgentEvent[] = [];
    for (let i = 0; i < 1000; i++) {
      const id = b * 1000 + i;
      events.push(create(id, 'x', id), end(id, id + 1));
    }
    m.apply(0, batch(events));
  }
  const pending = (m as unknown as { state: { changes: { dirty: unknown[] } } }).state.changes.dirty;
  assert.ok(pending.length < 20_000, `change list holds ${pending.length} records`);
  const d = m.takeDelta()!;
  assert.equal(d.upserts.length, 10);
  assert.equal(d.retired, 99_990);
});
