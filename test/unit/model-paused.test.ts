import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InspectorModel } from '../../src/model/model';
import { batch, create, hello } from './helpers';

test('a paused event names the paused task by its global id and counts the stops', () => {
  const m = new InspectorModel();
  m.apply(0, hello());
  m.apply(1, hello(1_000_010));
  assert.equal(m.paused as unknown, undefined);
  m.apply(1, batch([create(4, 'checkout', 1), { e: 'paused', task: 4, t: 5 }]));
  assert.deepEqual(m.paused, { task: 'p1:4', conn: 1, count: 1 });
  m.apply(0, batch([{ e: 'paused', task: null, t: 9 }]));
  assert.deepEqual(m.paused, { task: null, conn: 0, count: 2 }, 'top-level code: no task');
  m.apply(0, batch([{ e: 'paused', task: 'x', t: 9 } as never]));
  assert.equal(m.malformedEvents, 1, 'a bad task id is skipped');
  assert.equal((m.paused as { count: number } | undefined)?.count, 2);
});
