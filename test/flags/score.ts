/**
 * Runs each flag fixture under the built CLI (as a user would: `node dist/cli.js run --json … -- node|python3 …`),
 * compares the reported flags with the fixture's `expect:` lines by (kind, file, line), and tallies true
 * positives, false positives and false negatives per runtime and kind.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Report } from '../../src/model/types';
import { flagKey, root, type FlagAt, type Fixture } from './fixtures';

export const cliPath = process.env.ASYNC_INSPECTOR_CLI ?? join(root, 'dist', 'cli.js');
const PYTHON = process.env.ASYNC_INSPECTOR_PYTHON ?? 'python3';
let venvPython: string | undefined;
/** The test venv's interpreter (made on first use by scripts/python-env.sh, as `npm test` does). */
function testVenvPython(): string {
  venvPython ??= join(execFileSync('bash', [join(root, 'scripts/python-env.sh')], { encoding: 'utf8' }).trim().split('\n').pop()!, 'bin', 'python');
  return venvPython;
}
/** A fixture that runs longer than this is stopped by the CLI (the report is still written). */
const DEFAULT_TIMEOUT_SEC = '15';
/** And if the CLI itself hangs, it is killed after this. */
const HARD_LIMIT_MS = 40_000;

export interface FixtureResult {
  fixture: Fixture;
  truePositives: FlagAt[];
  falsePositives: FlagAt[];
  falseNegatives: FlagAt[];
  /** Found at the expected line, but its message does not read the expected chain. */
  wrongChains: FlagAt[];
  ms: number;
  /** The run itself failed (no report): every expected flag counts as missed. */
  error?: string;
  /** What went wrong in a run that missed flags (agent errors, no tasks at all). */
  note?: string;
}

const toPath = (file: string) => (file.startsWith('file://') ? fileURLToPath(file) : file);

/**
 * A fixture that expects no blocking call runs with a threshold a loaded machine's scheduling delays do not
 * reach (a step of a few ms can wait 100+ ms for the CPU there, and the agents measure wall time); the
 * fixtures that expect one keep the default, and their quiet lines still count against precision.
 */
function quietThreshold(fixture: Fixture): string[] {
  const aboutBlocking = fixture.expected.some((f) => f.kind === 'blocking-call') || fixture.cliArgs.includes('--block-threshold');
  return aboutBlocking ? [] : ['--block-threshold', '300']; // under the 400 ms a quiet worker spins
}

/** Others may be rebuilding dist/ in the same checkout: wait a little for the CLI to be back. */
async function cliReady(): Promise<boolean> {
  for (let waited = 0; waited < 20_000 && !existsSync(cliPath); waited += 250) await new Promise((r) => setTimeout(r, 250));
  return existsSync(cliPath);
}

export async function runFixture(fixture: Fixture, attempt = 1): Promise<FixtureResult> {
  if (!(await cliReady())) return compare(fixture, [], 0, `${cliPath} is missing: run npm run build first`);
  const dir = mkdtempSync(join(tmpdir(), 'ai-flags-'));
  const json = join(dir, 'report.json');
  const program = fixture.runtime === 'node' ? 'node' : fixture.venv ? testVenvPython() : PYTHON;
  const timeout = fixture.cliArgs.includes('--timeout') ? [] : ['--timeout', DEFAULT_TIMEOUT_SEC];
  const args = [cliPath, 'run', '--json', json, ...timeout, ...quietThreshold(fixture), ...fixture.cliArgs, '--', program, fixture.path];
  const started = Date.now();
  let stderr = '';
  try {
    await new Promise<void>((resolve) => {
      const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
      child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
      const killer = setTimeout(() => child.kill('SIGKILL'), HARD_LIMIT_MS);
      child.on('close', () => {
        clearTimeout(killer);
        resolve();
      });
    });
    const ms = Date.now() - started;
    if (!existsSync(json)) {
      if (attempt === 1 && /Cannot find module .*dist/.test(stderr)) return runFixture(fixture, 2); // a rebuild was under way
      return compare(fixture, [], ms, `no report written; stderr: ${stderr.trim().slice(-500)}`);
    }
    const report = JSON.parse(readFileSync(json, 'utf8')) as Report;
    const actual = report.flags.map((f) => ({ kind: f.kind, file: f.location ? toPath(f.location.file) : '(no location)', line: f.location?.line ?? 0, message: f.message }));
    const result = compare(fixture, actual, ms);
    // Say why a flag may be missing when the run itself went wrong (not the detection).
    const trouble = [...report.agentErrors.map((e) => `agent: ${e}`), ...(report.tasks.length === 0 ? ['the agent reported no tasks'] : [])];
    if (report.droppedEvents > 0) trouble.push(`${report.droppedEvents} events dropped`);
    return result.falseNegatives.length && trouble.length ? { ...result, note: trouble.join('; ').slice(0, 500) } : result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function compare(fixture: Fixture, actual: FlagAt[], ms: number, error?: string): FixtureResult {
  const expectedKeys = new Set(fixture.expected.map(flagKey));
  const actualByKey = new Map(actual.map((f) => [flagKey(f), f]));
  return {
    fixture,
    truePositives: fixture.expected.filter((f) => actualByKey.has(flagKey(f))),
    falsePositives: [...actualByKey.values()].filter((f) => !expectedKeys.has(flagKey(f))),
    falseNegatives: fixture.expected.filter((f) => !actualByKey.has(flagKey(f))),
    wrongChains: fixture.expected.filter((f) => f.chain !== undefined && actualByKey.has(flagKey(f))
      && !actual.some((a) => flagKey(a) === flagKey(f) && a.message?.includes(f.chain!))),
    ms,
    error,
  };
}

/** Runs fixtures at most `concurrency` at a time (the machine is shared); results in fixture order. */
export function runAll(fixtures: Fixture[], concurrency = 2): Array<Promise<FixtureResult>> {
  const slots: Array<Promise<unknown>> = [];
  return fixtures.map((fixture, i) => {
    const previous = slots[i % concurrency] ?? Promise.resolve();
    const run = previous.then(() => runFixture(fixture));
    slots[i % concurrency] = run.catch(() => undefined);
    return run;
  });
}

/** One line per mismatch, naming the fixture, the kind and the line, so a failure says what to fix. */
export function describeMismatches(r: FixtureResult): string[] {
  const rel = (f: FlagAt) => (f.file === r.fixture.path ? `line ${f.line}` : `${f.file}:${f.line}`);
  return [
    ...(r.error ? [`${r.fixture.name}: ${r.error}`] : []),
    ...(r.note ? [`${r.fixture.name}: ${r.note}`] : []),
    ...r.falseNegatives.map((f) => `${r.fixture.name}: missed ${f.kind} at ${rel(f)}`),
    ...r.falsePositives.map((f) => `${r.fixture.name}: unexpected ${f.kind} at ${rel(f)}`),
    ...r.wrongChains.map((f) => `${r.fixture.name}: ${f.kind} at ${rel(f)} does not read '${f.chain}'`),
  ];
}
