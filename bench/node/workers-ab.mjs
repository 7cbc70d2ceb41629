// Worker threads, A/B: interleaves untraced and traced runs of worker-pool.js (a pool of 8 running 200 jobs,
// then 30 workers started one after another) and prints medians: pool wall time, median worker start-up
// (new Worker → first message) and process CPU (all threads).   node bench/node/workers-ab.mjs   env: RUNS (5)
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '../../dist/cli.js');
const RUNS = Number(process.env.RUNS ?? 5);
const program = [process.execPath, join(here, 'worker-pool.js')];

function run(traced) {
  const argv = traced ? [cli, 'run', '--', ...program] : program.slice(1);
  const r = spawnSync(process.execPath, argv, { encoding: 'utf8' });
  const line = r.stdout.split('\n').find((l) => l.startsWith('{'));
  if (!line) throw new Error(`no result (${traced ? 'traced' : 'untraced'}): ${r.stderr}`);
  return JSON.parse(line);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = { untraced: [], traced: [] };
for (let i = 0; i < RUNS; i++) {
  rows.untraced.push(run(false));
  rows.traced.push(run(true));
}
for (const key of ['poolMs', 'pool8StartMs', 'poolJobsMs', 'startMs', 'cpuMs']) {
  const u = median(rows.untraced.map((r) => r[key]));
  const t = median(rows.traced.map((r) => r[key]));
  console.log(`${key.padEnd(12)} untraced ${u.toFixed(1).padStart(8)}  traced ${t.toFixed(1).padStart(8)}  ${(t / u).toFixed(2)}×`);
}
