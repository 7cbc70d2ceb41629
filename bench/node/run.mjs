// Node agent overhead: traced/untraced medians of 5 fresh runs for each workload, as a markdown table.
// Traced runs go through the real CLI (`dist/cli.js run -- node …`), so agent, channel and writer thread
// are all in play. Run `npm run build` first. Not a test: figures depend on the machine's load.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '../../dist/cli.js');
if (!existsSync(cli) || !existsSync(join(here, '../../dist/agent-node.js'))) {
  console.error('build first: npm run build');
  process.exit(2);
}
const RUNS = Number(process.env.RUNS ?? 5);
/** Requests per HTTP run: long enough that start-up (agent load, the first captures) is not what is measured. */
const HTTP_REQUESTS = Number(process.env.HTTP_REQUESTS ?? 40000);

/** Starts `node file args`, traced through the CLI or not; calls onJson for each JSON line it prints. */
function start(file, args, traced, onJson) {
  const argv = traced ? [cli, 'run', '--', process.execPath, file, ...args] : [file, ...args];
  // The CLI's own summary goes to stderr: not part of the figures.
  const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', traced ? 'ignore' : 'inherit'] });
  let buf = '';
  child.stdout.setEncoding('utf8').on('data', (d) => {
    buf += d;
    let nl;
    while ((nl = buf.indexOf('\n')) !== -1) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (line.startsWith('{') && line.endsWith('}')) {
        try { onJson(JSON.parse(line)); } catch { /* not ours */ }
      }
    }
  });
  return new Promise((ok) => child.on('close', (code) => ok(code)));
}

/** { main: wall ms (or req/s), cpu: the program's main-thread CPU ms }. */
async function timeRun(file, traced) {
  const r = { main: NaN, cpu: NaN };
  await start(join(here, file), [], traced, (j) => {
    if (typeof j.ms === 'number') Object.assign(r, { main: j.ms, cpu: j.cpuMs });
  });
  return r;
}

async function httpRun(traced) {
  const r = { main: NaN, cpu: NaN };
  let clientDone;
  const serverDone = start(join(here, 'http-server.js'), [], traced, (j) => {
    if (typeof j.cpuMs === 'number') r.cpu = j.cpuMs;
    if (typeof j.port !== 'number') return;
    clientDone = start(join(here, 'http-client.js'), [String(j.port), String(HTTP_REQUESTS), '16'], false, (c) => { r.main = c.rps; });
  });
  await serverDone;
  await clientDone;
  return r;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function compare(measure) {
  const plain = [];
  const traced = [];
  for (let i = 0; i < RUNS; i++) {
    plain.push(await measure(false));
    traced.push(await measure(true));
  }
  const pick = (runs, key) => median(runs.map((r) => r[key]));
  return { plain: pick(plain, 'main'), traced: pick(traced, 'main'), plainCpu: pick(plain, 'cpu'), tracedCpu: pick(traced, 'cpu') };
}

const verdict = (ratio, budget) => (ratio <= budget ? 'ok' : 'OVER');
const rows = [];
for (const [name, file, budget] of [['1,000,000 awaited async calls', 'await1m.js', 3], ['Promise.all of 100,000', 'all100k.js', 2]]) {
  const r = await compare((traced) => timeRun(file, traced));
  const wall = r.traced / r.plain;
  const cpu = r.tracedCpu / r.plainCpu;
  rows.push(`| ${name} | ${r.plain.toFixed(0)} ms | ${r.traced.toFixed(0)} ms | ${wall.toFixed(2)}× ${verdict(wall, budget)} | ${r.plainCpu} → ${r.tracedCpu} ms: ${cpu.toFixed(2)}× ${verdict(cpu, budget)} | ≤ ${budget}× |`);
}
const h = await compare(httpRun);
const loss = h.plain / h.traced;
const cpu = h.tracedCpu / h.plainCpu;
rows.push(`| loopback HTTP server, ${HTTP_REQUESTS.toLocaleString('en')} requests | ${h.plain.toFixed(0)} req/s | ${h.traced.toFixed(0)} req/s | ${loss.toFixed(2)}× ${verdict(loss, 1.1)} | ${h.plainCpu} → ${h.tracedCpu} ms: ${cpu.toFixed(2)}× ${verdict(cpu, 1.1)} | ≤ 1.1× |`);

const load = (await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ');
console.log(`Node ${process.version}, median of ${RUNS} fresh runs each, load average ${load}.`);
console.log('Wall ratio = traced/untraced time (HTTP: untraced/traced req/s); CPU = the program\'s main-thread CPU.\n');
console.log('| workload | untraced | traced | wall ratio | main-thread CPU | budget |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
