/**
 * ES modules with top-level await: the module's own evaluation promise (made by V8 for Node's loader) and
 * the loader's work are not tasks of the program, so a program that finished its work leaves nothing
 * pending at exit; `await import()` is an await on the import, not a second call of the function.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InspectorModel } from '../../src/model/model';
import { fixture, runTraced } from './trace';

describe('node agent: ES modules with top-level await', () => {
  it('leaves nothing pending at exit and raises no flag once the modules finished', async () => {
    const trace = await runTraced(fixture('esm-tla/main.mjs'));
    assert.equal(trace.code, 0);
    assert.equal(trace.stdout, 'mode fast + plugin\n');
    assert.equal(trace.one('readSettings').ended?.state, 'done', 'the imported module\'s own work is traced');
    assert.equal(trace.one('run').ended?.state, 'done');
    const load = trace.one('loadPlugin');
    const importing = trace.one('import()');
    assert.equal(importing.parent, load.id);
    assert.equal(importing.site?.line, 7);
    assert.ok(trace.awaits(load, importing), 'loadPlugin waits for its import');
    const pending = [...trace.tasks.values()].filter((t) => t.ended === undefined);
    assert.deepEqual(pending.map((t) => `${t.name} ${t.site?.file}:${t.site?.line}`), []);

    const model = new InspectorModel();
    for (const msg of trace.messages) model.apply(0, msg);
    model.finish({ code: trace.code, signal: trace.signal });
    const report = model.report({ command: ['node', 'main.mjs'] });
    assert.deepEqual(report.tasks.filter((t) => t.state === 'pending' || t.state === 'running').map((t) => t.name), []);
    assert.deepEqual(report.flags.map((f) => f.kind), [], 'no pending-at-exit, nor never-awaited for the awaited import');
  });
});
