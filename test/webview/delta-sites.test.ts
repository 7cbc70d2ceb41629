/**
 * Deltas cross the extension's boundaries packed: each location once in `sites`, tasks refer to it by
 * index. Unpacking meets untrusted data: a reference that does not resolve leaves out its record only.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { packDelta, unpackDelta } from '../../src/model/delta-sites';
import type { Location, TaskProgress } from '../../src/model/types';
import { parseExtToView } from '../../src/shared/messages';
import { checkDelta } from '../../src/shared/modelGuards';
import { delta, task } from './sessions';

const main: Location = { file: '/work/app/src/server.js', line: 12, col: 3, function: 'main' };
const handler: Location = { file: '/work/app/src/routes.js', line: 40, function: 'handle' };

/** As the extension host checks a delta where it enters (once), after a JSON round trip. */
const parsedDelta = (wire: unknown) => checkDelta(JSON.parse(JSON.stringify(wire)))?.delta;

describe('packed deltas', () => {
  it('send each location once and come back as they were', () => {
    const tasks = [
      task('1', { created: main, stack: [main, handler], awaitAt: handler }),
      task('2', { created: main, awaitAt: null, error: { type: 'E', message: 'm', stack: [handler, main] } }),
      task('3', { created: null }),
    ];
    const progress: TaskProgress[] = [{ id: '4', name: 'w', state: 'pending', awaiting: [], awaitedBy: [], awaitAt: main }];
    const d = delta(7, tasks, { progress });
    const wire = packDelta(d);
    assert.deepEqual(wire.sites, [main, handler]);
    assert.ok(JSON.stringify(wire).length < JSON.stringify(d).length * 0.75, 'a location repeated is an index');
    assert.deepEqual(parsedDelta(wire), d);
  });

  it('go on to the view as they came when every record is valid, and the view reads them back', () => {
    const d = delta(3, [task('1', { created: main, stack: [main, handler] })]);
    const wire = JSON.parse(JSON.stringify(packDelta(d)));
    const checked = checkDelta(wire);
    assert.equal(checked?.wire, wire, 'the same object: not repacked');
    const viewed = parseExtToView({ type: 'delta', delta: checked?.wire });
    assert.deepEqual(viewed?.messages, [{ type: 'delta', delta: d }]);
    const bad = { ...wire, upserts: [...wire.upserts, { id: 9 }] };
    assert.equal(checkDelta(bad)?.wire, undefined, 'trimmed: the host packs what it kept');
  });

  it('leave out only a record whose reference does not resolve', () => {
    const wire = packDelta(delta(1, [task('1', { created: main }), task('2', { created: main })]));
    const bad = [7, -1, 0.5, '0', null];
    const upserts = wire.upserts as Array<Record<string, unknown>>;
    wire.upserts = [...upserts, ...bad.map((ref, i) => ({ ...upserts[0], id: `x${i}`, stack: [ref] }))];
    wire.upserts.push({ ...upserts[0], id: 'y', created: 5 }, { ...upserts[0], id: 'z', awaitAt: 9 });
    assert.deepEqual(parsedDelta(wire)?.upserts.map((t) => t.id), ['1', '2']);
  });

  it('reject a delta whose table is not a list, and leave out records pointing at a bad entry', () => {
    const wire = packDelta(delta(1, [task('1', { created: main })]));
    assert.equal(parsedDelta({ ...wire, sites: { 0: main } }), undefined);
    assert.equal(parsedDelta({ ...wire, sites: null }), undefined);
    assert.deepEqual(parsedDelta({ ...wire, sites: [{ file: 1, line: 2, function: 'f' }] })?.upserts, []);
  });

  it('pass a delta without a table (a snapshot from a file, an older sender) through unchanged', () => {
    const d = delta(1, [task('1')]);
    assert.equal(unpackDelta(d), d);
    assert.deepEqual(parsedDelta(d), d);
  });
});
