// HTTP server overhead, A/B: interleaves untraced runs with traced runs through one or more built dist/
// folders (default: this checkout's), so a loaded machine shifts all of them alike, and prints the median
// of the per-round ratios (main-thread CPU, throughput loss). Interleaving matters: on the shared 2-core
// machine one variant's CPU swings ±15% from run to run.
//   node bench/node/http-ab.mjs [distDir ...]      env: RUNS (default 7), REQUESTS (default 10000)
//   PROFILE=/tmp/prof node bench/node/http-ab.mjs  also writes .cpuprofile files (summarize: profile-summary.mjs)
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dists = process.argv.length > 2 ? process.argv.slice(2).map((d) => resolve(d)) : [join(here, '../../dist')];
const RUNS = Number(process.env.RUNS ?? 7);
const REQUESTS = process.env.REQUESTS ?? '10000';
const PROFILE = process.env.PROFILE;

/** One server run (traced through `dist`'s CLI, or not) driven by http-client.js: { cpu, rps }. */
function run(dist, label, round) {
  return new Promise((done) => {
    const prof = PROFILE ? ['--cpu-prof', '--cpu-prof-interval=250', `--cpu-prof-dir=${join(PROFILE, `${label}-${round}`)}`] : [];
    const program = [process.execPath, ...prof, join(here, 'http-server.js')];
    const argv = dist ? [join(dist, 'cli.js'), 'run', '--', ...program] : program.slice(1);
    const server = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'ignore'] });
    const r = { cpu: NaN, rps: NaN };
    let open = 2;
    const finish = () => (--open === 0 ? done(r) : undefined);
    let buf = '';
    server.stdout.setEncoding('utf8').on('data', (d) => {
      buf += d;
      for (let nl = buf.indexOf('\n'); nl !== -1; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (!line.startsWith('{')) continue;
        const j = JSON.parse(line);
        if (typeof j.cpuMs === 'number') r.cpu = j.cpuMs;
        if (typeof j.port !== 'number') continue;
        const client = spawn(process.execPath, [join(here, 'http-client.js'), String(j.port), REQUESTS, '16'], { stdio: ['ignore', 'pipe', 'inherit'] });
        client.stdout.on('data', (x) => { r.rps = JSON.parse(String(x)).rps; });
        client.on('close', finish);
      }
    });
    server.on('close', finish);
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const variants = [['untraced', null], ...dists.map((d, i) => [dists.length === 1 ? 'traced' : `traced#${i + 1}`, d])];
const results = new Map(variants.map(([label]) => [label, []]));
for (let round = 0; round < RUNS; round++) {
  for (const [label, dist] of variants) results.get(label).push(await run(dist, label, round));
}
const base = results.get('untraced');
const load = (await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ');
console.log(`Node ${process.version}, ${REQUESTS} requests, ${RUNS} interleaved rounds, load average ${load}.\n`);
console.log('| variant | main-thread CPU (median) | req/s (median) | CPU ratio (median of rounds) | throughput loss |');
console.log('|---|---|---|---|---|');
for (const [label, dist] of variants) {
  const rs = results.get(label);
  const cpuRatio = dist ? median(rs.map((r, i) => r.cpu / base[i].cpu)).toFixed(2) + '×' : '—';
  const loss = dist ? median(rs.map((r, i) => base[i].rps / r.rps)).toFixed(2) + '×' : '—';
  console.log(`| ${label}${dist ? ` (${dist})` : ''} | ${median(rs.map((r) => r.cpu))} ms | ${Math.round(median(rs.map((r) => r.rps)))} | ${cpuRatio} | ${loss} |`);
}
