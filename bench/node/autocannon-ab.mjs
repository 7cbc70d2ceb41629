// What a real server pays, traced through the CLI (the model ingests on the same cores, as the extension host
// does): app-server.js (node:http, express, fastify) loaded by autocannon, 50 connections for DURATION s,
// untraced and traced runs interleaved; prints requests/s, the throughput loss and the server's CPU per request.
//   node bench/node/autocannon-ab.mjs [http express fastify]   env: RUNS (default 2), DURATION (default 10), CONNECTIONS (50),
//   DIST (another build's dist/ folder to trace with)
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const here = dirname(fileURLToPath(import.meta.url));
const kinds = process.argv.length > 2 ? process.argv.slice(2) : ['http', 'express', 'fastify'];
const RUNS = Number(process.env.RUNS ?? 2);
const DURATION = Number(process.env.DURATION ?? 10);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 50);
const cli = join(process.env.DIST ?? join(here, '../../dist'), 'cli.js');

function run(kind, traced) {
  return new Promise((done) => {
    const program = [join(here, 'app-server.js'), kind];
    const argv = traced ? [cli, 'run', '--', process.execPath, ...program] : program;
    const server = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'ignore'] });
    const r = { rps: NaN, cpuMs: NaN };
    let buf = '';
    server.stdout.setEncoding('utf8').on('data', (d) => {
      buf += d;
      for (let nl = buf.indexOf('\n'); nl !== -1; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (!line.startsWith('{')) continue;
        const j = JSON.parse(line);
        if (typeof j.cpuMs === 'number') r.cpuMs = j.cpuMs;
        if (typeof j.port !== 'number') continue;
        autocannon({ url: `http://127.0.0.1:${j.port}/`, connections: CONNECTIONS, duration: DURATION }, (err, res) => {
          r.rps = err ? NaN : res.requests.average;
          r.requests = err ? NaN : res.requests.total;
          // The traced program runs under the CLI: signal the program itself (the CLI's child).
          signalServer(server, traced);
        });
      }
    });
    server.on('close', () => done(r));
  });
}

function signalServer(server, traced) {
  if (!traced) return server.kill('SIGTERM');
  const ps = spawn('pgrep', ['-P', String(server.pid)], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  ps.stdout.on('data', (d) => (out += d));
  ps.on('close', () => {
    const pids = out.split('\n').filter(Boolean).map(Number);
    for (const pid of pids) process.kill(pid, 'SIGTERM');
    if (pids.length === 0) server.kill('SIGTERM');
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const kind of kinds) {
  const loss = [];
  const cpu = [];
  for (let i = 0; i < RUNS; i++) {
    const plain = await run(kind, false);
    const traced = await run(kind, true);
    loss.push(plain.rps / traced.rps);
    cpu.push((traced.cpuMs / traced.requests) / (plain.cpuMs / plain.requests));
    console.log(`${kind} round ${i + 1}: untraced ${Math.round(plain.rps)} req/s (${plain.cpuMs} ms CPU), traced ${Math.round(traced.rps)} req/s (${traced.cpuMs} ms CPU)`);
  }
  console.log(`${kind}: throughput loss ${median(loss).toFixed(2)}×, server CPU per request ${median(cpu).toFixed(2)}× (median of ${RUNS}, ${CONNECTIONS} connections, ${DURATION} s)`);
}
