/** Compiled TypeScript: sites point at the .ts lines, with or without Node's --enable-source-maps. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildSync } from 'esbuild';
import { fixture, runTraced } from './trace';

describe('node agent: TypeScript through source maps', () => {
  let dir: string;
  let compiled: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ai-ts-'));
    compiled = join(dir, 'typed.js');
    buildSync({ entryPoints: [fixture('typed.ts')], outfile: compiled, sourcemap: true, format: 'cjs', platform: 'node', logLevel: 'silent' });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const [label, runtimeArgs] of [['the file\'s own sourceMappingURL', []], ['--enable-source-maps', ['--enable-source-maps']]] as const) {
    it(`maps sites to the .ts lines (${label})`, async () => {
      const trace = await runTraced(compiled, { runtimeArgs: [...runtimeArgs] });
      assert.equal(trace.stdout, 'ts done 7\n');
      const load = trace.one('loadItem');
      assert.equal(load.created?.file, fixture('typed.ts'));
      assert.equal(load.created?.line, 12);
      assert.equal(trace.one('tsMain').created?.line, 16);
    });
  }
});
