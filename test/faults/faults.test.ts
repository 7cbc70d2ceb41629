/**
 * Fault injection, the lean version of bench/faults (issue 16, suite 1): every hook of each agent failing, one
 * at a time, all at once and with garbage, under the tour program that calls every patched API once
 * (test/fixtures/{node/fault-tour.js, python/fault_tour.py}), plus every hook at once under the examples.
 * Each run through the CLI is compared with an untraced run: same stdout, same exit code, and each fault that
 * fired reported to the user exactly once. The full matrix (every fixture × every hook): bench/faults/run.ts.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { baselineOf, HOOKS, inTurn, root, runWithFault, type FaultRun, type Program, type Runtime } from '../../bench/faults/matrix';
import { listPrograms, venvPython } from '../../bench/faults/programs';

/** Programs × hooks under which the full matrix found a defect (each fixed; see the test below). */
const AFTER_MATRIX: Record<Runtime, [string, string][]> = {
  node: [['test/fixtures/node/flags/quiet-child-process.js', 'stall watch'], ['test/fixtures/node/caught-throw.js', 'worker']],
  python: [['test/fixtures/python/flags/deadlock_event_nobody_sets.py', 'writer thread']],
};
const TOURS: Record<Runtime, string> = { node: 'test/fixtures/node/fault-tour.js', python: 'test/fixtures/python/fault_tour.py' };

async function matrix(programs: Program[], hooks: readonly string[]): Promise<FaultRun[]> {
  const runs: FaultRun[] = [];
  for (const program of programs) {
    const base = await baselineOf(program);
    runs.push(...(await inTurn([...hooks], 2, (hook) => runWithFault(program, hook, base.outcome, base.loose))));
  }
  return runs;
}

function assertUnharmed(runs: FaultRun[]): void {
  const problems = runs.flatMap((r) => [
    ...(r.changed ? [`${r.program.file} × ${r.hook}: changed: ${r.changed}`] : []),
    ...(r.unreported ? [`${r.program.file} × ${r.hook}: ${r.fired.join(', ')} fired, nothing reported`] : []),
    ...r.repeated.map((l) => `${r.program.file} × ${r.hook}: reported more than once: ${l}`),
  ]);
  assert.deepEqual(problems, []);
}

/** Every fault point named in an agent's source, so a new hook cannot go untested. */
function pointsInSource(runtime: Runtime): string[] {
  const dir = join(root, runtime === 'node' ? 'src/agents/node' : 'src/agents/python/async_inspector');
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(ts|py)$/.test(f) && !f.startsWith('faults'));
  const literal = runtime === 'node'
    ? /\b(?:shielded|agentError|fault|faulty|guarded)\('([^']+)'/g
    : /\bguard\.(?:fault|faulty|report|attempt)\("([^"%]+)/g;
  return [...new Set(files.flatMap((f) => [...readFileSync(join(dir, f), 'utf8').matchAll(literal)].map((m) => m[1].trim())))];
}

/** Reported, but no hook of a launched program: attach's own steps (test/python/test_attach.py), a catch-all. */
const NOT_POINTS = new Set(['adopting pending promises', 'reading the attach config', 'channel close']);

const covers = (hook: string, point: string): boolean =>
  point === hook || (point.startsWith(hook) && (point[hook.length] === ' ' || point[hook.length] === '.'));

for (const runtime of ['node', 'python'] as Runtime[]) {
  describe(`${runtime} agent under injected faults`, () => {
    it('names every fault point of the agent in the matrix', () => {
      const hooks = HOOKS[runtime].filter((h) => h !== 'all').map((h) => h.replace(/^garbage:/, ''));
      const missed = pointsInSource(runtime).filter((p) => !hooks.some((h) => covers(h, p)) && !NOT_POINTS.has(p));
      assert.deepEqual(missed, []);
    });

    it('leaves the tour program unchanged under every hook failing, each failure reported once', { timeout: 900_000 }, async () => {
      const tour: Program = { runtime, file: TOURS[runtime], interpreter: runtime === 'node' ? 'node' : venvPython() };
      // The tour itself runs to its last step untraced (a broken tour would fire no hook and prove nothing).
      assert.match((await baselineOf(tour)).outcome.stdout, /^blocking: /m);
      const runs = await matrix([tour], HOOKS[runtime]);
      assertUnharmed(runs);
      assert.ok(runs.filter((r) => r.fired.length > 0).length >= HOOKS[runtime].length - 4, 'most hooks fired in the tour');
    });

    it('reports the failures of a program stopped by --timeout, of child processes, of a short program once', { timeout: 300_000 }, async () => {
      // Defects the full matrix found: a Python writer-thread failure in a program that never ends was never sent
      // (only the exit flush would have); a Node writer thread's failure was said once per process on stderr; a
      // Node program that ended before its first turn had the agent's own writer thread started at exit as a
      // traced Worker (its failures then lost).
      for (const [file, hook] of AFTER_MATRIX[runtime]) {
        const programs = listPrograms(runtime).filter((p) => p.file === file);
        assert.equal(programs.length, 1, file);
        assertUnharmed(await matrix(programs, [hook]));
      }
    });

    it('leaves the examples unchanged with every hook failing at once', { timeout: 600_000 }, async () => {
      const examples = listPrograms(runtime).filter((p) => p.file.startsWith('examples/'));
      assertUnharmed(await matrix(examples, ['all']));
    });
  });
}
