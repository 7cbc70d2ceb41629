import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InspectorModel } from '../../src/model/model';
import { batch, create, hello, site } from './helpers';

test('create, state and end move a task through its states and keep counts', () => {
  const m = new InspectorModel();
  m.apply(0, hello());
  m.apply(0, batch([site(1, 10, 'main'), create(1, 'main', 0, null, 1), { e: 'state', id: 1, state: 'running', t: 2 }]));
  let d = m.takeDelta()!;
  assert.equal(d.upserts.length, 1);
  assert.equal(d.upserts[0].state, 'running');
  assert.equal(d.upserts[0].startedAt, 2);
  const main = d.sites!.find((s) => s.id === d.upserts[0].created);
  assert.deepEqual(main, { id: d.upserts[0].created, file: '/w/app.js', line: 10, function: 'main' }, 'created names a site the delta carries');
  assert.deepEqual(d.counts, { queued: 0, pending: 0, running: 1, done: 0, failed: 0, cancelled: 0 });
  assert.equal(m.takeDelta(), null, 'nothing changed since');

  m.apply(0, batch([{ e: 'end', id: 1, state: 'failed', t: 9, error: { type: 'Error', message: 'boom', stack: [1] } }]));
  d = m.takeDelta()!;
  assert.deepEqual(d.upserts, [], 'a task the previous delta carried whole goes as progress');
  const [p] = d.progress!;
  assert.equal(p.state, 'failed');
  assert.equal(p.endedAt, 9);
  assert.deepEqual(p.error, { type: 'Error', message: 'boom', stack: [main!.id] });
  assert.equal('created' in p, false, 'identity fields are not resent');
  assert.equal(d.counts.failed, 1);
  assert.equal(d.counts.running, 0);
});

test('await edges give awaiting and derived awaitedBy, cleared when the waiter runs or ends', () => {
  const m = new InspectorModel();
  m.apply(0, hello());
  m.apply(0, batch([site(5, 7, 'main'), create(1, 'main', 0), create(2, 'fetch', 1, 1), create(3, 'sleep', 1, 1)]));
  m.apply(0, batch([{ e: 'await', id: 1, on: [2, 3], site: 5, t: 2 }]));
  const d = m.snapshot();
  const byId = new Map(d.upserts.map((t) => [t.id, t]));
  assert.deepEqual(byId.get('1')!.awaiting, ['2', '3']);
  assert.deepEqual(d.sites!.find((s) => s.id === byId.get('1')!.awaitAt), { id: byId.get('1')!.awaitAt, file: '/w/app.js', line: 7, function: 'main' });
  assert.deepEqual(byId.get('2')!.awaitedBy, ['1']);
  assert.equal(byId.get('2')!.parent, '1');

  m.takeDelta();
  m.apply(0, batch([{ e: 'state', id: 1, state: 'running', t: 5 }]));
  const after = new Map(m.takeDelta()!.progress!.map((t) => [t.id, t]));
  assert.deepEqual(after.get('1')!.awaiting, []);
  assert.equal(after.get('1')!.awaitAt, undefined);
  assert.deepEqual(after.get('2')!.awaitedBy, [], 'the awaited task is re-sent without its awaiter');
});

test('a second process gets namespaced ids and times shifted to the session clock', () => {
  const m = new InspectorModel();
  m.apply(0, hello(1_000_000));
  m.apply(1, hello(1_000_250, 'node', 5000));
  m.apply(0, batch([create(1, 'a', 10)]));
  m.apply(1, batch([create(1, 'b', 10, null), create(2, 'c', 12, 1), { e: 'loop', id: 1, name: 'main', thread: 'MainThread', t: 0 }]));
  const snap = m.snapshot();
  const ids = snap.upserts.map((t) => t.id).sort();
  assert.deepEqual(ids, ['1', 'p1:1', 'p1:2']);
  const c = snap.upserts.find((t) => t.id === 'p1:2')!;
  assert.equal(c.parent, 'p1:1');
  assert.equal(c.createdAt, 262);
  assert.deepEqual(snap.loops, [{ id: 'p1:1', name: 'main', thread: 'MainThread' }]);
  assert.equal(m.info?.pid, 4242, 'the session is the first process');
});

test('awaitSince is when the current await began, on the session clock, and goes with the links', () => {
  const m = new InspectorModel();
  m.apply(0, hello(1_000_000));
  m.apply(1, hello(1_000_250, 'node', 5000)); // the second process started 250 ms into the session
  m.apply(1, batch([site(5, 7, 'main'), create(1, 'main', 0), create(2, 'fetch', 1, 1)]));
  m.apply(1, batch([{ e: 'await', id: 1, on: [2], site: 5, t: 40 }]));
  const view = () => new Map(m.snapshot().upserts.map((t) => [t.id, t])).get('p1:1')!;
  assert.equal(view().awaitSince, 290);
  const reported = m.report({ command: ['node', 'a.js'] }).tasks.find((t) => t.id === 'p1:1');
  assert.equal(reported?.awaitSince, 290, 'the JSON report (a saved session) carries it too');
  m.apply(1, batch([{ e: 'await', id: 1, on: [], site: 5, t: 60.5 }]));
  assert.equal(view().awaitSince, 310.5, 'a new await starts a new time');
  m.apply(1, batch([{ e: 'state', id: 1, state: 'running', t: 70 }]));
  assert.equal(view().awaitSince, undefined, 'running: no longer parked');
  m.apply(1, batch([{ e: 'await', id: 1, on: [2], site: 5, t: 80 }, { e: 'end', id: 1, state: 'done', t: 90 }]));
  assert.equal(view().awaitSince, undefined, 'ended: links and their time cleared');
});

test('rollups add to counts and retired without creating tasks', () => {
  const m = new InspectorModel();
  m.apply(0, hello());
  m.apply(0, batch([{ e: 'rollup', kind: 'promise', name: 'tick', site: null, parent: null, count: 10, failed: 2, cancelled: 1, totalMs: 3, t: 4 }]));
  const d = m.takeDelta()!;
  assert.deepEqual(d.upserts, []);
  assert.equal(d.counts.done, 7);
  assert.equal(d.counts.failed, 2);
  assert.equal(d.counts.cancelled, 1);
  assert.equal(d.retired, 10);
});

test('dropped counts from batches add up', () => {
  const m = new InspectorModel();
  m.apply(0, hello());
  m.apply(0, batch([], 5));
  m.apply(0, batch([], 7));
  assert.equal(m.takeDelta()!.dropped, 12);
  assert.equal(m.report({ command: ['node', 'x.js'] }).droppedEvents, 12);
});

test('name events rename a task; queued executor work records its thread', () => {
  const m = new InspectorModel();
  m.apply(0, hello());
  m.apply(0, batch([
    { e: 'create', id: 1, kind: 'executor', name: 'work', parent: null, site: null, t: 0 },
    { e: 'state', id: 1, state: 'queued', t: 0 },
    { e: 'name', id: 1, name: 'crunch' },
  ]));
  const t = m.takeDelta()!.upserts[0];
  assert.equal(t.name, 'crunch');
  assert.equal(t.state, 'queued');
  m.apply(0, batch([{ e: 'state', id: 1, state: 'running', t: 3, thread: 'ThreadPoolExecutor-0_0' }]));
  const p = m.takeDelta()!.progress![0];
  assert.equal(p.thread, 'ThreadPoolExecutor-0_0');
  assert.equal(p.startedAt, 3);
});

test('running steps add up to runMs when the end event has none, and are kept for the trace', () => {
  const m = new InspectorModel();
  m.apply(0, hello());
  m.apply(0, batch([create(1, 'work', 0), { e: 'step', id: 1, t: 1, dur: 2.5 }, { e: 'step', id: 1, t: 5, dur: 1.5 }, { e: 'end', id: 1, state: 'done', t: 7, result: '42' }]));
  const [t] = m.snapshot().upserts;
  assert.equal(t.startedAt, 1);
  assert.equal(t.runMs, 4);
  assert.equal(t.result, '42');
  assert.deepEqual(m.report({ command: [] }).tasks[0].steps, [[1, 2.5], [5, 1.5]]);
  m.apply(0, batch([create(2, 'measured', 0), { e: 'step', id: 2, t: 1, dur: 2 }, { e: 'end', id: 2, state: 'done', t: 3, runMs: 9 }]));
  assert.equal(m.snapshot().upserts.find((x) => x.id === '2')!.runMs, 9, 'the agent’s own total wins');
});
