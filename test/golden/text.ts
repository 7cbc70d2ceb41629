/**
 * A golden text file for a test that renders text from fixed input (no program run): the test compares,
 * `UPDATE_GOLDEN=1` (set by `node scripts/golden.mjs --update`) rewrites. Files live in test/golden/text/.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = join(__dirname, 'text');

export function assertGolden(name: string, actual: string): void {
  const file = join(DIR, `${name}.txt`);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(DIR, { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  assert.ok(existsSync(file), `no golden file ${file}: run node scripts/golden.mjs --update`);
  assert.equal(actual, readFileSync(file, 'utf8'), `${name} changed; if on purpose: node scripts/golden.mjs --update`);
}
