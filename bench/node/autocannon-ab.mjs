// What a real server pays, traced through the CLI (the model ingests on the same cores, as the extension host
// does): app-server.js (node:http, express, fastify) or bench/python/fastapi_server.py (FastAPI on uvicorn,
// uvloop, httptools) loaded by autocannon with 50 connections, untraced and traced runs interleaved (the order
// alternates per round). Each run: WARMUP seconds of load, then DURATION seconds measured.
//
// What is robust on a loaded machine is CPU time per request, read from /proc/<pid>/stat (utime+stime, all
// threads: the agent's writer thread counts) around the measured requests, for the server and for the CLI
// (launcher + model). Requests/s are printed too, with the load average: they mean something only when the
// machine is otherwise idle (load < ~3 on these 2 cores).
//   node bench/node/autocannon-ab.mjs [http express fastify fastapi]
// On a machine shared with other work, run it as `chrt -f 20 node bench/node/autocannon-ab.mjs ...` (root):
// the bench, autocannon, the servers and the CLI inherit SCHED_FIFO and run ahead of everything else, which
// gave idle-machine request rates (~55k req/s untraced node:http) at load average 4-8 here.
//   env: RUNS (5), DURATION (5 s), WARMUP (1 s), CONNECTIONS (50),
//        DISTS (comma-separated dist/ folders to trace with, side by side; default this checkout's),
//        PROFILE=dir (adds --cpu-prof to the node servers, traced or not, and to the CLI; summarize: profile-summary.mjs)
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const here = dirname(fileURLToPath(import.meta.url));
const kinds = process.argv.length > 2 ? process.argv.slice(2) : ['http', 'express', 'fastify', 'fastapi'];
const RUNS = Number(process.env.RUNS ?? 5);
const DURATION = Number(process.env.DURATION ?? 5);
const WARMUP = Number(process.env.WARMUP ?? 1);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 50);
const PROFILE = process.env.PROFILE;
const dists = (process.env.DISTS ?? join(here, '../../dist')).split(',').map((d) => resolve(d));
const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
let python;

/** utime + stime of one process (all its threads), in ms. */
function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * TICK_MS;
}

const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
const pause = (ms) => new Promise((r) => setTimeout(r, ms));
// Duration, not `amount`: autocannon's amount mode kept ~20k req/s here whatever the server could do.
const cannon = (port, duration) => new Promise((done, fail) => {
  autocannon({ url: `http://127.0.0.1:${port}/alice`, connections: CONNECTIONS, duration }, (err, res) => {
    if (err || res.non2xx > 0 || res.errors > 0) fail(err ?? new Error(`${res.non2xx} non-2xx, ${res.errors} errors`));
    else done(res);
  });
});

function command(kind, dist, label, round) {
  if (kind === 'fastapi') {
    python ??= join(execFileSync('bash', [join(here, '../../scripts/python-env.sh')], { encoding: 'utf8' }).trim(), 'bin/python');
    return [python, join(here, '../python/fastapi_server.py')];
  }
  const prof = PROFILE ? ['--cpu-prof', '--cpu-prof-interval=250', `--cpu-prof-dir=${join(PROFILE, `${kind}-${label}-${round}`)}`] : [];
  return [process.execPath, ...prof, join(here, 'app-server.js'), kind];
}

/** One server run: { rps, server (ms CPU per 1000 requests), cli (same, traced) }. */
async function run(kind, dist, label, round) {
  const program = command(kind, dist, label, round);
  const cliProf = PROFILE && dist ? ['--cpu-prof', `--cpu-prof-dir=${join(PROFILE, `${kind}-${label}-${round}-cli`)}`] : [];
  const [cmd, ...args] = dist ? [process.execPath, ...cliProf, join(dist, 'cli.js'), 'run', '--', ...program] : program;
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'] });
  const closed = new Promise((r) => child.on('close', r));
  try {
    const { port, pid } = await listening(child);
    await cannon(port, WARMUP);
    await pause(300);
    const s0 = cpuMs(pid), c0 = dist ? cpuMs(child.pid) : 0;
    const t0 = performance.now();
    const res = await cannon(port, DURATION);
    const wallMs = performance.now() - t0;
    await pause(300); // the model ingests the last flushes
    const server = cpuMs(pid) - s0, cli = dist ? cpuMs(child.pid) - c0 : 0;
    process.kill(pid, 'SIGTERM');
    await closed;
    const per = (ms) => (ms * 1000) / res.requests.total;
    return { rps: (res.requests.total * 1000) / wallMs, server: per(server), cli: per(cli) };
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
}

/** The server's first stdout line: {"port","pid"} (app-server.js) or "port pid" (fastapi_server.py). */
function listening(child) {
  return new Promise((done, fail) => {
    let buf = '';
    child.stdout.setEncoding('utf8').on('data', function onData(d) {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl === -1) return;
      child.stdout.off('data', onData);
      child.stdout.resume();
      const line = buf.slice(0, nl).trim();
      if (line.startsWith('{')) done(JSON.parse(line));
      else { const [port, pid] = line.split(/\s+/).map(Number); done({ port, pid }); }
    });
    child.on('close', () => fail(new Error('the server ended before listening')));
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const f2 = (x) => x.toFixed(2);
const variants = [['untraced', null], ...dists.map((d, i) => [dists.length === 1 ? 'traced' : `traced#${i + 1}`, d])];
console.log(`Node ${process.version}, ${DURATION} s of load (after ${WARMUP} s of warm-up) with ${CONNECTIONS} connections, ${RUNS} interleaved rounds`);
for (const kind of kinds) {
  const results = new Map(variants.map(([label]) => [label, []]));
  const loads = [load()];
  for (let round = 0; round < RUNS; round++) {
    const order = round % 2 === 0 ? variants : [...variants].reverse();
    for (const [label, dist] of order) results.get(label).push(await run(kind, dist, label, round));
    const line = variants.map(([label]) => {
      const r = results.get(label)[round];
      return `${label} ${Math.round(r.rps)} req/s, ${f2(r.server)}${r.cli ? ` + ${f2(r.cli)}` : ''} ms`;
    });
    console.log(`  ${kind} round ${round + 1} (load ${load()}): ${line.join('; ')}  [CPU per 1000 requests: server + CLI]`);
  }
  loads.push(load());
  const base = results.get('untraced');
  console.log(`\n${kind}: load average ${loads.join(' → ')}`);
  console.log('| variant | req/s | server CPU / 1000 req | CLI CPU / 1000 req | server CPU ratio | (server + CLI) / untraced | throughput loss |');
  console.log('|---|---|---|---|---|---|---|');
  for (const [label, dist] of variants) {
    const rs = results.get(label);
    const ratio = (fn) => (dist ? f2(median(rs.map((r, i) => fn(r, base[i])))) + '×' : '—');
    console.log(`| ${label} | ${Math.round(median(rs.map((r) => r.rps)))} | ${f2(median(rs.map((r) => r.server)))} ms | ${dist ? f2(median(rs.map((r) => r.cli))) + ' ms' : '—'} | ` +
      `${ratio((r, b) => r.server / b.server)} | ${ratio((r, b) => (r.server + r.cli) / b.server)} | ${ratio((r, b) => b.rps / r.rps)} |`);
  }
  console.log('');
}
