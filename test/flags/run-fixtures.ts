/**
 * Runs every flag fixture under the built CLI and prints precision and recall per runtime and kind.
 * Usage: node --import tsx test/flags/run-fixtures.ts [--markdown] [--runtime node|python] [name-filter]
 * Exit code 1 when any fixture mismatches (the mismatches are listed on stderr).
 */
import { existsSync } from 'node:fs';
import type { Runtime } from '../../src/protocol/events';
import { listFixtures } from './fixtures';
import { cliPath, describeMismatches, runAll } from './score';
import { formatMarkdown, formatText, tally } from './table';

async function main(argv: string[]): Promise<number> {
  const markdown = argv.includes('--markdown');
  const runtimeAt = argv.indexOf('--runtime');
  const runtimes: Runtime[] = runtimeAt >= 0 ? [argv[runtimeAt + 1] as Runtime] : ['node', 'python'];
  const filter = argv.filter((a, i) => !a.startsWith('--') && (runtimeAt < 0 || i !== runtimeAt + 1))[0];
  if (!existsSync(cliPath)) {
    console.error(`${cliPath} is missing: run npm run build first`);
    return 2;
  }
  const fixtures = listFixtures(runtimes).filter((f) => !filter || f.name.includes(filter));
  const results = [];
  for (const pending of runAll(fixtures)) {
    const r = await pending;
    results.push(r);
    const problems = describeMismatches(r);
    process.stderr.write(`${problems.length ? 'MISMATCH' : 'ok      '} ${r.fixture.name} (${r.ms} ms)\n`);
    for (const p of problems) process.stderr.write(`    ${p}\n`);
  }
  const rows = tally(results);
  console.log(markdown ? formatMarkdown(rows) : formatText(rows));
  return results.some((r) => describeMismatches(r).length > 0) ? 1 : 0;
}

main(process.argv.slice(2)).then((code) => (process.exitCode = code));
