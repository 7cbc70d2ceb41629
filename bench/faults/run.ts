/**
 * The fault-injection matrix: every program (bench/faults/programs.ts) × every hook of its agent failing
 * (HOOKS in matrix.ts, one at a time, all at once, and the garbage variants), each compared with an untraced
 * run. Prints: programs run × hooks failed, runs whose output or exit code changed (must be 0), faults fired
 * and how often each was reported (once, never, more than once).
 * Run: npx tsx bench/faults/run.ts [node|python] [--hooks a,b] [--programs substring] [--jobs 2]
 * (after node scripts/build.mjs). Exit code 1 when a run changed or a fired fault went unreported.
 */
import { baselineOf, HOOKS, inTurn, runWithFault, type FaultRun, type Runtime } from './matrix';
import { listPrograms } from './programs';

async function main(argv: string[]): Promise<number> {
  const opt = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const runtimes = (['node', 'python'] as Runtime[]).filter((r) => argv.includes(r) || !argv.some((a) => a === 'node' || a === 'python'));
  const jobs = Number(opt('--jobs') ?? 2);
  const all: FaultRun[] = [];
  const started = Date.now();
  for (const runtime of runtimes) {
    const hooks = opt('--hooks')?.split(',') ?? [...HOOKS[runtime]];
    const programs = listPrograms(runtime, opt('--programs'));
    const baselines = await inTurn(programs, jobs, baselineOf);
    const cells = programs.flatMap((program, i) => hooks.map((hook) => ({ program, hook, base: baselines[i] })));
    const runs = await inTurn(cells, jobs, async (c) => {
      const r = await runWithFault(c.program, c.hook, c.base.outcome, c.base.loose);
      const bad = r.changed !== null || r.unreported || r.repeated.length > 0;
      process.stderr.write(`${bad ? 'FAIL' : 'ok  '} ${runtime} ${c.program.file} × ${c.hook}${r.fired.length ? ` (fired ${r.fired.length})` : ''}\n`);
      if (r.changed) process.stderr.write(`    changed: ${r.changed}\n`);
      if (r.unreported) process.stderr.write(`    fired ${r.fired.join(', ')} but nothing was reported\n`);
      for (const l of r.repeated) process.stderr.write(`    reported more than once: ${l}\n`);
      return r;
    });
    all.push(...runs);
    const loose = baselines.filter((b) => b.loose).length;
    const traced = programs.filter((_, i) => baselines[i].tracedDiffers).map((p) => p.file);
    console.log(`${runtime}: ${programs.length} programs × ${hooks.length} hooks = ${runs.length} runs (${loose} programs compared loosely: their own untraced runs differ)`);
    if (traced.length) console.log(`  compared with a traced run without faults (traced, they print something else by design): ${traced.join(', ')}`);
    summarize(runs);
  }
  console.log(`total: ${all.length} runs in ${Math.round((Date.now() - started) / 1000)} s`);
  return all.some((r) => r.changed !== null || r.unreported || r.repeated.length > 0) ? 1 : 0;
}

function summarize(runs: FaultRun[]): void {
  const fired = runs.filter((r) => r.fired.length > 0);
  const changed = runs.filter((r) => r.changed !== null);
  const unreported = runs.filter((r) => r.unreported);
  const repeated = runs.filter((r) => r.repeated.length > 0);
  const secondary = runs.filter((r) => r.secondary.length > 0);
  console.log(`  runs where a fault fired: ${fired.length} (${fired.reduce((n, r) => n + r.fired.length, 0)} fault points)`);
  console.log(`  output or exit code changed: ${changed.length}`);
  console.log(`  faults reported once: ${fired.length - unreported.length - repeated.length}; never: ${unreported.length}; more than once: ${repeated.length}`);
  console.log(`  runs with other agent errors besides the injected one: ${secondary.length}`);
}

main(process.argv.slice(2)).then((code) => (process.exitCode = code));
