/**
 * Rewrites the golden files (scripts/golden.mjs --update [filter]): each program runs twice; output that
 * differs between the two runs is not written (it would make a flaky test) and is listed instead.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { goldenPath, goldenText, programs } from './golden';

async function main(filter: string | undefined): Promise<number> {
  const unstable: string[] = [];
  for (const program of programs().filter((p) => !filter || p.key.includes(filter))) {
    const [a, b] = [await goldenText(program), await goldenText(program)];
    if (!a.includes('── Async Inspector')) {
      unstable.push(program.key);
      process.stdout.write(`no summary: ${program.key} (is dist/ built?)\n`);
      continue;
    }
    if (a !== b) {
      unstable.push(program.key);
      process.stdout.write(`unstable: ${program.key}\n`);
      continue;
    }
    mkdirSync(dirname(goldenPath(program)), { recursive: true });
    writeFileSync(goldenPath(program), a);
    process.stdout.write(`wrote ${program.key}\n`);
  }
  if (unstable.length) process.stdout.write(`\n${unstable.length} program(s) print differently from run to run: ${unstable.join(', ')}\n`);
  return unstable.length ? 1 : 0;
}

void main(process.argv[2]).then((code) => process.exit(code));
