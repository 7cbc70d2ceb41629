// `npm run bench`: every overhead benchmark in turn (Node agent, Python agent, model ingest), each printing a
// markdown table. Not a test: figures depend on the machine's load; run it on an otherwise idle machine.
// Usage: node scripts/bench.mjs [node] [children] [python] [debugpy] [ingest] [host] [fuzz] [fuzz-sessions] [faults] [soak] [stdout]
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { buildSync } from 'esbuild';

const root = join(import.meta.dirname, '..');
const run = (cmd) => spawnSync(cmd[0], cmd.slice(1), { cwd: root, stdio: 'inherit', encoding: 'utf8' }).status === 0;
const venvPython = () => {
  const r = spawnSync('bash', ['scripts/python-env.sh'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error('scripts/python-env.sh failed');
  return join(r.stdout.trim().split('\n').pop(), 'bin/python');
};
const benches = {
  node: () => ['node', 'bench/node/run.mjs'],
  // Start-up cost of a traced Node child process (fork → exit, traced vs --no-children).
  children: () => ['node', 'bench/node/children-ab.mjs'],
  python: () => [venvPython(), 'bench/python/run.py'],
  // The Python agent under debugpy (its adapter from PyPI, scripts/debugpy-env.sh): CPython 3.12.
  debugpy: () => ['npx', 'tsx', 'bench/python/debugpy.ts'],
  // Decoder and model fuzzing: 1M random and mutated frames (crashes 0 or it fails).
  fuzz: () => ['npx', 'tsx', 'bench/fuzz/run.ts', '1000000'],
  // Saved sessions: 20,000 mutated reports through Open Session's steps.
  'fuzz-sessions': () => ['npx', 'tsx', 'bench/fuzz/sessions.ts', '20000'],
  // Every fixture and example × every hook of its agent failing (ASYNC_INSPECTOR_FAULTS): output unchanged or it fails.
  faults: () => ['npx', 'tsx', 'bench/faults/run.ts'],
  // 1 GB of binary stdout through the CLI vs untraced: every byte, and the cost (fails when a byte is lost).
  stdout: () => ['npx', 'tsx', 'bench/hostile/stdout.ts', '1024', '3'],
  // Soak: a traced node:http and aiohttp server under steady load for 10 minutes each; memory slopes.
  soak: () => ['npx', 'tsx', 'bench/soak/run.ts', 'node', 'python', '--minutes=10', '--sample=60'],
  // Bundled and minified like the adapter that runs the model (tsx's on-the-fly transform is slower).
  ingest: () => bundled('bench/ingest/run.ts', 'ingest'),
  // One 3,000-task delta through the extension host (validated once, posted on) and the view (store).
  host: () => bundled('bench/host/delta.ts', 'host'),
};

/** A bench bundled and minified like the code it measures (tsx's on-the-fly transform is slower). */
function bundled(entry, name) {
  const outfile = join(tmpdir(), `async-inspector-bench-${name}.js`);
  buildSync({ entryPoints: [join(root, entry)], bundle: true, platform: 'node', minify: true, outfile, logLevel: 'warning' });
  return ['node', outfile];
}

const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(benches);
if (!run(['node', 'scripts/build.mjs', '--production'])) process.exit(1);
let failed = 0;
for (const name of names) {
  if (!benches[name]) {
    console.error(`unknown benchmark ${name}; known: ${Object.keys(benches).join(' ')}`);
    process.exit(2);
  }
  console.log(`\n## ${name}\n`);
  if (!run(benches[name]())) failed++;
}
process.exit(failed ? 1 : 0);
