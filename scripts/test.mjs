// `npm test`: every suite, in order, on a fresh machine. Tools the suites need (a Python venv, code-server and
// Chromium for the real-VS-Code tests) are installed on first use into ~/.cache/async-inspector, keyed by version.
// Usage: node scripts/test.mjs [suite ...]   (suites: check unit agent-node cli adapter debug python flags faults webview exthost e2e)
//
// A suite is a function returning the command that runs it (or { cmd, tests: false } for a check that runs no
// tests); it may install what it needs first (setup()). No suite can hang or go missing:
// - each test has a timeout (TEST_TIMEOUT_S; a test's own `timeout` wins): node:test via --test-timeout (Node 22+)
//   or scripts/test-runner/per-test-timeout.mjs (Node 20), pytest via pytest-timeout;
// - each suite has a budget (SUITE_BUDGET_S); past it, coreutils `timeout` kills the suite's process group and
//   the suite fails as "timed out"; processes it left in other groups are found by their mark and killed
//   (scripts/test-runner/processes.mjs);
// - a suite whose command is missing, that ran no test, or a test file without tests, fails.
// Environment: ASYNC_INSPECTOR_TEST_TIMEOUT (s per test), ASYNC_INSPECTOR_SUITE_TIMEOUT (s per suite, all suites).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killMarked, MARK_VAR } from './test-runner/processes.mjs';

const root = join(import.meta.dirname, '..');
const TEST_TIMEOUT_S = Number(process.env.ASYNC_INSPECTOR_TEST_TIMEOUT) || 180;
const SETUP_BUDGET_S = 30 * 60; // a cold install waits for apt's lock, then builds code-server's native modules
/** Per suite, in seconds: about 3x what the suite takes cold on a loaded 2-core machine. */
const SUITE_BUDGET_S = { check: 300, unit: 600, 'agent-node': 900, cli: 900, golden: 600, adapter: 900, debug: 600, python: 2400, flags: 1200, faults: 900, webview: 1200, exthost: 1200, e2e: 1800 };
const DEFAULT_BUDGET_S = 1200;
const budgetOf = (name) => Number(process.env.ASYNC_INSPECTOR_SUITE_TIMEOUT) || SUITE_BUDGET_S[name] || DEFAULT_BUDGET_S;

const runner = join(root, 'scripts/test-runner');
const nodeMajor = Number(process.versions.node.split('.')[0]);
const perTestTimeout = nodeMajor >= 22
  ? [`--test-timeout=${TEST_TIMEOUT_S * 1000}`]
  : ['--expose-internals', '--import', join(runner, 'per-test-timeout.mjs')];

const testFiles = (dir) =>
  existsSync(join(root, dir)) ? readdirSync(join(root, dir)).filter((f) => f.endsWith('.test.ts')).map((f) => join(dir, f)) : [];
// One test file at a time: the suites start real programs, and the machine has 2 cores.
const tsxTest = (...dirs) => {
  const files = dirs.flatMap(testFiles);
  return files.length
    ? ['npx', 'tsx', ...perTestTimeout, '--test', '--test-concurrency=1', '--test-force-exit',
      '--test-reporter=spec', '--test-reporter-destination=stdout',
      `--test-reporter=${join(runner, 'count-reporter.mjs')}`, '--test-reporter-destination=stderr', ...files]
    : null;
};
const python = () => {
  // CPython 3.14 joins the matrix (~15 s the first time; conftest finds it in the persistent cache). When
  // Debian's mirror cannot give it, the suite still runs and its summary says 3.14 was skipped and why.
  try {
    setup(['bash', 'scripts/ensure-python314.sh', '3.14']);
  } catch (e) {
    console.error(`[python] CPython 3.14 unavailable: ${e.message}`);
  }
  const venv = setup(['bash', 'scripts/python-env.sh']).trim().split('\n').pop();
  return [join(venv, 'bin/python'), '-m', 'pytest', '-q', `--timeout=${TEST_TIMEOUT_S}`, 'test/python'];
};

/** Chromium (and code-server with Node 24 for e2e), installed once into the cache: seconds when already there. */
const withBrowserTools = (dir) => {
  setup(['bash', 'scripts/ensure-vscode.sh']);
  return tsxTest(dir);
};

const suites = {
  check: () => ({ cmd: ['npx', 'tsc', '--noEmit', '-p', '.'], tests: false }),
  unit: () => tsxTest('test/unit', 'test/inspection'),
  'agent-node': () => tsxTest('test/agent-node'),
  cli: () => tsxTest('test/cli'),
  // What users read, against checked-in text (node scripts/golden.mjs --update after a deliberate change).
  golden: () => tsxTest('test/golden'),
  adapter: () => tsxTest('test/adapter'),
  // The inspector inside the runtimes' own debuggers (flush at a stop, configuration transforms).
  debug: () => tsxTest('test/debug'),
  python,
  flags: () => tsxTest('test/flags'),
  // Both agents with their hooks failing (ASYNC_INSPECTOR_FAULTS): the programs' output and exit codes unchanged.
  faults: () => {
    setup(['bash', 'scripts/python-env.sh']);
    return tsxTest('test/faults');
  },
  webview: () => withBrowserTools('test/webview'),
  exthost: () => withBrowserTools('test/exthost'),
  e2e: () => withBrowserTools('test/e2e'),
};

/** The environment of the suite being run: its mark, where its test counts go, the per-test timeout. */
let suiteEnv = process.env;

/** Runs a setup command of the current suite (its own process group, SETUP_BUDGET_S); returns its stdout. */
function setup(cmd) {
  const r = spawnSync('timeout', ['--kill-after=10', String(SETUP_BUDGET_S), ...cmd],
    { cwd: root, env: suiteEnv, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (r.status === 124 || r.status === 137) throw new Error(`${cmd.join(' ')} timed out after ${SETUP_BUDGET_S} s`);
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} failed (exit ${r.status ?? r.signal})`);
  return r.stdout;
}

/** Runs one suite; returns { ok, why } (why: what failed, for the summary). */
function runSuite(name, work) {
  const mark = `${name}.${process.pid}.${Date.now()}`;
  const results = join(work, `${name}.json`);
  suiteEnv = { ...process.env, [MARK_VAR]: mark, ASYNC_INSPECTOR_TEST_RESULTS: results,
    ASYNC_INSPECTOR_TEST_TIMEOUT_MS: String(TEST_TIMEOUT_S * 1000) };
  try {
    let spec;
    try {
      spec = suites[name]();
    } catch (e) {
      return { ok: false, why: `setup failed: ${e.message}` };
    }
    if (!spec) return { ok: false, why: 'no test files found' };
    const { cmd, tests } = Array.isArray(spec) ? { cmd: spec, tests: true } : spec;
    const budget = budgetOf(name);
    // The runner's own flags (reporters, the per-test timeout preload) left out: the rest reproduces the run.
    const shown = cmd.filter((a, i) => !/^--test-reporter|^--expose-internals$|test-runner\//.test(a) && cmd[i + 1]?.includes('test-runner/') !== true);
    console.log(`\n=== ${name}: ${shown.join(' ')}   (budget ${budget} s)`);
    const r = spawnSync('timeout', ['--kill-after=15', String(budget), ...cmd],
      { cwd: root, env: suiteEnv, stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status === 124 || r.status === 137) return { ok: false, why: `timed out after ${budget} s: suite killed` };
    if (r.status !== 0) return { ok: false, why: `exit ${r.status ?? r.signal}${timedOutTests(results)}` };
    if (!tests) return { ok: true };
    const counts = readCounts(results);
    if (!counts) return { ok: false, why: 'reported no test results' };
    if (counts.emptyFiles?.length) return { ok: false, why: `test file(s) without tests: ${counts.emptyFiles.join(', ')}` };
    if (!counts.tests) return { ok: false, why: 'ran no tests' };
    return { ok: true, why: `${counts.tests} tests${counts.skipped ? `, ${counts.skipped} skipped` : ''}${counts.note ? `; ${counts.note}` : ''}` };
  } finally {
    const left = killMarked(mark);
    if (left.length) {
      console.error(`[${name}] killed ${left.length} process(es) the suite left running:`);
      for (const p of left) console.error(`    ${p.pid} ${p.command.slice(0, 160)}`);
    }
  }
}

function readCounts(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function timedOutTests(file) {
  const names = readCounts(file)?.timedOut ?? [];
  return names.length ? `; timed out: ${names.join('; ')}` : '';
}

const wanted = process.argv.slice(2);
const names = wanted.length ? wanted : Object.keys(suites);
const unknown = names.filter((n) => !(n in suites));
if (unknown.length) {
  console.error(`unknown suite(s): ${unknown.join(', ')}; known: ${Object.keys(suites).join(' ')}`);
  process.exit(2);
}

if (spawnSync('node', ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);
const work = mkdtempSync(join(tmpdir(), 'async-inspector-test-'));
const summary = [];
for (const name of names) {
  const started = Date.now();
  const { ok, why } = runSuite(name, work);
  const secs = (Date.now() - started) / 1000;
  if (!ok) console.error(`[${name}] FAILED: ${why}`);
  summary.push({ name, ok, secs, why });
}
rmSync(work, { recursive: true, force: true });
console.log('\nSuites:');
for (const s of summary) console.log(`  ${s.ok ? 'ok  ' : 'FAIL'} ${s.name.padEnd(11)} ${s.secs.toFixed(1).padStart(7)} s${s.why ? `  ${s.why}` : ''}`);
const failed = summary.filter((s) => !s.ok).length;
console.log(`suites: ${summary.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
