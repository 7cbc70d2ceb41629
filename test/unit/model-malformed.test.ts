import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InspectorModel } from '../../src/model/model';
import type { AgentEvent, AgentMessage } from '../../src/protocol/events';
import { batch, create, hello } from './helpers';

const bad = (x: unknown) => x as AgentEvent;

test('malformed events are skipped and counted, the good ones around them still apply', () => {
  const m = new InspectorModel();
  m.apply(0, hello());
  m.apply(0, batch([
    create(1, 'ok', 0),
    bad({ e: 'create', id: 'two', kind: 'promise', name: 'x', parent: null, site: null, t: 0 }), // id not a number
    bad({ e: 'create', id: 3, kind: 'spaceship', name: 'x', parent: null, site: null, t: 0 }),  // unknown kind
    create(1, 'duplicate', 1),                                                                   // id already used
    bad({ e: 'state', id: 99, state: 'running', t: 1 }),                                         // unknown id
    bad({ e: 'state', id: 1, state: 'exploded', t: 1 }),                                         // unknown state
    bad({ e: 'await', id: 1, on: 'everything', site: null, t: 1 }),
    bad({ e: 'teleport', id: 1 }),                                                               // unknown event kind
    bad(null),
    bad(42),
    bad({ e: 'end', id: 1, state: 'done', t: 'late' }),
    bad({ e: 'finding', kind: 'blocking-call', message: 7, t: 0, site: null }),
    bad({ e: 'rollup', kind: 'promise', name: 'r', site: null, parent: null, count: 1, failed: 5, cancelled: 0, totalMs: 0, t: 0 }),
    { e: 'state', id: 1, state: 'running', t: 2 },
  ]));
  assert.equal(m.malformedEvents, 12);
  const snap = m.snapshot();
  assert.equal(snap.upserts.length, 1);
  assert.equal(snap.upserts[0].name, 'ok');
  assert.equal(snap.upserts[0].state, 'running');
  assert.match(m.report({ command: [] }).agentErrors.join('\n'), /12 malformed agent events/);
});

test('an ended task ignores further live states and a second end', () => {
  const m = new InspectorModel();
  m.apply(0, hello());
  m.apply(0, batch([create(1, 'a', 0), { e: 'end', id: 1, state: 'done', t: 1 }, { e: 'state', id: 1, state: 'running', t: 2 }, { e: 'end', id: 1, state: 'failed', t: 3 }]));
  assert.equal(m.snapshot().upserts[0].state, 'done');
  assert.equal(m.snapshot().counts.done, 1);
  assert.equal(m.snapshot().counts.failed, 0);
  assert.equal(m.malformedEvents, 2);
});

test('nonsense messages never throw', () => {
  const m = new InspectorModel();
  const junk: unknown[] = [null, 3, 'x', {}, { type: 'batch' }, { type: 'batch', events: 'no' }, { type: 'batch', events: [undefined, [], {}] }, { type: 'warp' }, { type: 'agent-error' }];
  for (const j of junk) assert.doesNotThrow(() => m.apply(0, j as AgentMessage));
  assert.doesNotThrow(() => m.apply(-1, hello()));
  assert.doesNotThrow(() => m.apply(1e12, hello()), 'an absurd connection number is refused, not allocated');
  assert.doesNotThrow(() => m.apply(0.5, hello()));
  assert.doesNotThrow(() => m.takeDelta());
  assert.doesNotThrow(() => m.finish({ code: 0, signal: null }));
  assert.equal(m.report({ command: ['x'] }).schema, 1);
});

test('await edges to unknown tasks are dropped, known ones kept', () => {
  const m = new InspectorModel();
  m.apply(0, hello());
  m.apply(0, batch([create(1, 'a', 0), create(2, 'b', 0), { e: 'await', id: 1, on: [2, 77], site: null, t: 1 }]));
  const a = m.snapshot().upserts.find((t) => t.id === '1')!;
  assert.deepEqual(a.awaiting, ['2']);
});

test('a hello without a usable runtime or clock is skipped and counted', () => {
  const m = new InspectorModel();
  m.apply(0, { ...hello(), runtime: 'ruby' } as unknown as AgentMessage);
  m.apply(0, { ...hello(), startEpochMs: 'now' } as unknown as AgentMessage);
  const runtime = () => m.info?.runtime;
  assert.equal(runtime(), undefined);
  assert.equal(m.malformedEvents, 2);
  m.apply(0, hello(5, 'python'));
  assert.equal(runtime(), 'python');
});
