/**
 * Flag precision and recall over the fixture suite (test/fixtures/{node,python}/flags/): every expected flag
 * at its exact line, nothing else. One test per fixture, named by its file, so a failure says what to fix.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, test } from 'node:test';
import { listFixtures, parseFixture } from './fixtures';
import { cliPath, compare, describeMismatches, runAll, type FixtureResult } from './score';
import { formatText, tally } from './table';

test('the scorer counts a flag on the wrong line as one false positive and one false negative', () => {
  const fixture = parseFixture('node', '/x/a.js', 'async function f() {}\nf(); // expect: never-awaited\n');
  assert.deepEqual(fixture.expected, [{ kind: 'never-awaited', file: '/x/a.js', line: 2 }]);
  const r = compare(fixture, [{ kind: 'never-awaited', file: '/x/a.js', line: 1 }], 0);
  assert.deepEqual(describeMismatches(r), ['/x/a.js: missed never-awaited at line 2', '/x/a.js: unexpected never-awaited at line 1']);
  const [row] = tally([r]).filter((x) => x.kind === 'never-awaited');
  assert.deepEqual([row.tp, row.fp, row.fn], [0, 1, 1]);
});

test('an expected chain must be read by the flag at that line', () => {
  const fixture = parseFixture('python', '/x/a.py', 'x\ny  # expect: deadlock chain: main → asyncio.gather → worker\n');
  assert.equal(fixture.expected[0].chain, 'main → asyncio.gather → worker');
  const flag = (message: string) => [{ kind: 'deadlock', file: '/x/a.py', line: 2, message }];
  assert.deepEqual(compare(fixture, flag('stuck; chain: main → asyncio.gather → worker'), 0).wrongChains, []);
  const r = compare(fixture, flag('stuck; chain: main → worker'), 0);
  assert.deepEqual(describeMismatches(r), ["/x/a.py: deadlock at line 2 does not read 'main → asyncio.gather → worker'"]);
});

const fixtures = listFixtures();
const built = existsSync(cliPath);
const results: FixtureResult[] = [];
const runs = built ? runAll(fixtures) : [];

fixtures.forEach((fixture, i) => {
  const what = fixture.expected.length ? fixture.expected.map((f) => `${f.kind}@${f.line}`).join(', ') : 'no flags';
  test(`${fixture.name}: ${what}`, { skip: !built && 'npm run build first' }, async () => {
    const r = await runs[i];
    results.push(r);
    assert.deepEqual(describeMismatches(r), [], `${fixture.name} (${r.ms} ms)`);
  });
});

after(() => {
  if (results.length) process.stdout.write(`\nFlag precision/recall over ${results.length} fixtures:\n${formatText(tally(results))}\n`);
});
