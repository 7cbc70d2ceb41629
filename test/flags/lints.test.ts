/** End-of-run lint details users see: pending-at-exit's stack names each line once. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InspectorModel } from '../../src/model/model';
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
