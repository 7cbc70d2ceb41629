// `npm run demo`: traces each bundled example program with the CLI and prints its summary.
// Needs `npm run build` first (the npm script does it). Python examples run when python3 is found.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { delimiter, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');
if (!existsSync(cli)) {
  console.error('dist/cli.js is missing: run `npm run build` first.');
  process.exit(1);
}

function onPath(exe) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, exe)));
}

function examples(folder, exts) {
  const dir = join(root, 'examples', folder);
  const wanted = (f) => exts.some((ext) => f.endsWith(ext));
  return existsSync(dir) ? readdirSync(dir).filter(wanted).sort().map((f) => join(dir, f)) : [];
}

// Run examples as a user would type them; relative paths keep the summaries short.
const node = onPath('node') ? 'node' : process.execPath;
const runs = examples('node', ['.js', '.mjs']).map((file) => [node, relative(root, file)]);
const python = ['python3', 'python'].find(onPath);
if (python && existsSync(join(root, 'dist', 'python', 'async_inspector', '__main__.py'))) {
  runs.push(...examples('python', ['.py']).map((file) => [python, relative(root, file)]));
} else {
  console.log('(skipping the Python examples: python3 or the built Python agent was not found)\n');
}

let failures = 0;
for (const command of runs) {
  console.log(`\n\x1b[1m$ async-inspector run -- ${command.join(' ')}\x1b[0m`);
  // The summary goes to stderr; show it in order with the program's own output.
  const result = spawnSync(process.execPath, [cli, 'run', '--timeout', '30', '--', ...command], {
    cwd: root,
    stdio: 'inherit',
  });
  // Exit 2 means the inspector itself could not run the example; other codes are the example's own.
  if (result.status === 2 || result.error) failures++;
}
console.log(failures ? `\n${failures} example(s) could not be traced.` : `\nTraced ${runs.length} examples. Try: node dist/cli.js run --json report.json --trace trace.json -- node examples/node/fanout.js`);
process.exit(failures ? 1 : 0);
