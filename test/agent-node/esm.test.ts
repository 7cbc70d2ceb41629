/**
 * ES modules with top-level await: the module's own evaluation promise (made by V8 for Node's loader) and
 * the loader's work are not tasks of the program, so a program that finished its work leaves nothing
 * pending at exit; `await import()` is an await on the import, not a second call of the function.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { InspectorModel } from '../../src/model/model';
import { fixture, runTraced } from './trace';

describe('node agent: ES modules with top-level await', () => {
  it('leaves nothing pending at exit and raises no flag once the modules finished', async () => {
    const trace = await runTraced(fixture('esm-tla/main.mjs'));
    assert.equal(trace.code, 0);
    assert.equal(trace.stdout, 'mode fast + plugin\n');
    assert.equal(trace.one('readSettings').state, 'done', 'the imported module\'s own work is traced');
    assert.equal(trace.one('run').state, 'done');
    const load = trace.one('loadPlugin');
    const importing = trace.one('import()');
    assert.equal(importing.parent, load.id);
    assert.equal(importing.created?.line, 7);
    assert.ok(trace.awaits(load, importing), 'loadPlugin waits for its import');
    const pending = [...trace.tasks.values()].filter((t) => t.endedAt === null);
    assert.deepEqual(pending.map((t) => `${t.name} ${t.created?.file}:${t.created?.line}`), []);

    const model = new InspectorModel();
    for (const msg of trace.messages) model.apply(0, msg);
    model.finish({ code: trace.code, signal: trace.signal });
    const report = model.report({ command: ['node', 'main.mjs'] });
    assert.deepEqual(report.tasks.filter((t) => t.state === 'pending' || t.state === 'running').map((t) => t.name), []);
    assert.deepEqual(report.flags.map((f) => f.kind), [], 'no pending-at-exit, nor never-awaited for the awaited import');
  });

  it('importing 200 modules leaves the program\'s own first promises their sites', async () => {
    // The loader makes ~10 promises per module: they must not use up the capture budget.
    const dir = mkdtempSync(join(tmpdir(), 'ai-esm200-'));
    try {
      const imports: string[] = [];
      for (let i = 0; i < 200; i++) {
        writeFileSync(join(dir, `m${i}.mjs`), `export const v${i} = ${i};\n`);
        imports.push(`import { v${i} } from './m${i}.mjs';`);
      }
      writeFileSync(join(dir, 'app.mjs'), `${imports.join('\n')}\nasync function main() { await new Promise((r) => setTimeout(r, 20)); }\nmain();\n`);
      const trace = await runTraced(join(dir, 'app.mjs'));
      assert.equal(trace.code, 0);
      const main = trace.one('main');
      assert.equal(main.created?.line, 202);
      assert.equal(main.state, 'done');
      assert.deepEqual([...trace.tasks.values()].map((t) => t.name).sort(), ['Timeout', 'main', 'new Promise'], 'only the program\'s own work');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
