// `npm test`: every suite, in order, on a fresh machine. Tools the suites need (a Python venv, code-server and
// Chromium for the real-VS-Code tests) are installed on first use into ~/.cache/async-inspector, keyed by version.
// Usage: node scripts/test.mjs [suite ...]   (suites: check unit agent-node cli adapter debug python flags webview exthost e2e)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const testFiles = (dir) =>
  existsSync(join(root, dir)) ? readdirSync(join(root, dir)).filter((f) => f.endsWith('.test.ts')).map((f) => join(dir, f)) : [];
// One test file at a time: the suites start real programs, and the machine has 2 cores.
const tsxTest = (...dirs) => {
  const files = dirs.flatMap(testFiles);
  return files.length ? ['npx', 'tsx', '--test', '--test-concurrency=1', ...files] : null;
};
const python = () => {
  if (!existsSync(join(root, 'scripts/python-env.sh'))) return null;
  const venv = run(['bash', 'scripts/python-env.sh'], { capture: true }).trim().split('\n').pop();
  return [join(venv, 'bin/python'), '-m', 'pytest', '-q', 'test/python'];
};

/** Chromium (and code-server with Node 24 for e2e), installed once into the cache: seconds when already there. */
const withBrowserTools = (dir) => {
  run(['bash', 'scripts/ensure-vscode.sh'], { capture: true });
  return tsxTest(dir);
};

const suites = {
  check: () => ['npx', 'tsc', '--noEmit', '-p', '.'],
  unit: () => tsxTest('test/unit', 'test/inspection'),
  'agent-node': () => tsxTest('test/agent-node'),
  cli: () => tsxTest('test/cli'),
  adapter: () => tsxTest('test/adapter'),
  // The inspector inside the runtimes' own debuggers (flush at a stop, configuration transforms).
  debug: () => tsxTest('test/debug'),
  python,
  flags: () => tsxTest('test/flags'),
  webview: () => withBrowserTools('test/webview'),
  exthost: () => withBrowserTools('test/exthost'),
  e2e: () => withBrowserTools('test/e2e'),
};

function run(cmd, { capture = false } = {}) {
  const r = spawnSync(cmd[0], cmd.slice(1), { cwd: root, stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', encoding: 'utf8' });
  if (capture && r.status !== 0) throw new Error(`${cmd.join(' ')} failed`);
  return capture ? r.stdout : r.status;
}

const wanted = process.argv.slice(2);
const names = wanted.length ? wanted : Object.keys(suites);
const unknown = names.filter((n) => !(n in suites));
if (unknown.length) {
  console.error(`unknown suite(s): ${unknown.join(', ')}; known: ${Object.keys(suites).join(' ')}`);
  process.exit(2);
}

if (run(['node', 'scripts/build.mjs']) !== 0) process.exit(1);
const results = [];
for (const name of names) {
  const started = Date.now();
  let cmd;
  try {
    cmd = suites[name]();
  } catch (e) {
    console.error(`[${name}] setup failed: ${e.message}`);
    results.push({ name, ok: false, secs: 0 });
    continue;
  }
  if (!cmd) {
    console.log(`[${name}] no tests yet`);
    continue;
  }
  console.log(`\n=== ${name}: ${cmd.join(' ')}`);
  const ok = run(cmd) === 0;
  results.push({ name, ok, secs: (Date.now() - started) / 1000 });
}
console.log('\nSuites:');
for (const r of results) console.log(`  ${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${r.secs.toFixed(1)} s)`);
const failed = results.filter((r) => !r.ok).length;
console.log(`suites: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
