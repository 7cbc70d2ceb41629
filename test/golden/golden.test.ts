/** Each example and fixture program's summary and report tree against its golden file (see golden.ts). */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { goldenPath, goldenText, programs } from './golden';

for (const program of programs()) {
  const file = goldenPath(program);
  test(program.key, { skip: existsSync(file) ? false : `no golden file: node scripts/golden.mjs --update ${program.key}` }, async () => {
    const expected = readFileSync(file, 'utf8');
    // A real program on a loaded machine: one rerun before a difference counts (update refuses outputs that vary).
    let actual = await goldenText(program);
    if (actual !== expected) actual = await goldenText(program);
    assert.equal(actual, expected, `${program.key} changed; if on purpose: node scripts/golden.mjs --update ${program.key}`);
  });
}
