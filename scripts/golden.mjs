// Golden-text tests of what users read (test/golden/golden.ts). Usage:
//   node scripts/golden.mjs            compare every program with its golden file
//   node scripts/golden.mjs --update [FILTER]   rewrite the golden files (of programs whose key contains FILTER)
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const run = (cmd) => spawnSync(cmd[0], cmd.slice(1), { cwd: root, stdio: 'inherit' }).status ?? 1;
const args = process.argv.slice(2);
if (run(['node', 'scripts/build.mjs']) !== 0) process.exit(1);
// Text rendered from fixed input (the CLI summary's cases) has its golden files beside: test/golden/text/.
const TEXT_TESTS = ['test/unit/cli-summary.test.ts'];
if (args[0] === '--update') {
  process.env.UPDATE_GOLDEN = '1';
  const texts = run(['npx', 'tsx', '--test', ...TEXT_TESTS]);
  process.exit(texts || run(['npx', 'tsx', 'test/golden/update.ts', ...args.slice(1)]));
}
process.exit(run(['npx', 'tsx', '--test', ...TEXT_TESTS, 'test/golden/golden.test.ts']));
