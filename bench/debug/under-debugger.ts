/**
 * What the agent costs under a debugger (`npx tsx bench/debug/under-debugger.ts`, after `npm run build`):
 * 1M awaits and the loopback HTTP server, each run under `node --inspect-brk` with a CDP client attached the
 * way js-debug attaches (Runtime.enable, Debugger.enable, a breakpoint set elsewhere), in three setups:
 *  - js-debug's default: async stack traces on (Debugger.setAsyncCallStackDepth 32), no agent;
 *  - async stack traces off, no agent;
 *  - what a session the inspector follows runs: async stack traces off (they silence V8's promise hooks) and
 *    the agent injected by the real launcher, its channel read by the real model.
 * Medians of RUNS (default 3) interleaved runs. Not a test: the figures depend on the machine's load.
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { launch } from '../../src/inspection/launch';
import { InspectorModel } from '../../src/model/model';
import { DevtoolsSession } from '../../src/attach/devtools';

const repo = resolve(__dirname, '../..');
const here = join(repo, 'bench/node');
const RUNS = Number(process.env.RUNS ?? 3);
const HTTP_REQUESTS = Number(process.env.HTTP_REQUESTS ?? 20000);

type Setup = 'async-stacks' | 'no-async-stacks' | 'agent';
const SETUPS: Setup[] = ['async-stacks', 'no-async-stacks', 'agent'];

interface Run {
  json(): Promise<Record<string, unknown>[]>;
}

/** Starts `node --inspect-brk file args` (with the agent for 'agent'), attaches like js-debug, lets it run. */
async function debugged(file: string, args: string[], setup: Setup, onJson: (j: Record<string, unknown>) => void): Promise<Run> {
  const argv = ['--inspect-brk=0', join(here, file), ...args];
  let stderr = '';
  let out = '';
  let onUrl: (u: string) => void = () => undefined;
  const url = new Promise<string>((ok) => (onUrl = ok));
  const stdout = (d: string): void => {
    out += d;
    let nl;
    while ((nl = out.indexOf('\n')) !== -1) {
      const line = out.slice(0, nl).trim();
      out = out.slice(nl + 1);
      if (line.startsWith('{')) onJson(JSON.parse(line) as Record<string, unknown>);
    }
  };
  const err = (d: string): void => {
    stderr += d;
    const m = /ws:\/\/\S+/.exec(stderr);
    if (m) onUrl(m[0]);
  };
  let exited: Promise<unknown>;
  if (setup === 'agent') {
    const model = new InspectorModel();
    const program = await launch({ command: [process.execPath, ...argv], distDir: join(repo, 'dist') }, {
      message: (c, m) => model.apply(c, m), stdout, stderr: err, warning: () => undefined, exit: () => undefined,
    });
    exited = program.exited;
  } else {
    const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8').on('data', stdout);
    child.stderr.setEncoding('utf8').on('data', err);
    exited = new Promise((ok) => child.on('close', ok));
  }
  const cdp = await DevtoolsSession.open(await url);
  const first = cdp.once('Debugger.paused');
  await cdp.send('Runtime.enable');
  await cdp.send('Debugger.enable');
  if (setup === 'async-stacks') await cdp.send('Debugger.setAsyncCallStackDepth', { maxDepth: 32 });
  // A breakpoint that never hits, as a user's in another file.
  await cdp.send('Debugger.setBreakpointByUrl', { lineNumber: 0, urlRegex: 'never-loaded\\.js$' });
  await cdp.send('Runtime.runIfWaitingForDebugger');
  await first;
  await cdp.send('Debugger.resume');
  return {
    json: async () => {
      cdp.close(); // the program waits for its debugger to go before it exits
      await exited;
      return [];
    },
  };
}

async function awaits(setup: Setup): Promise<{ ms: number; cpu: number }> {
  const r = { ms: NaN, cpu: NaN };
  let done: () => void = () => undefined;
  const printed = new Promise<void>((ok) => (done = ok));
  const run = await debugged('await1m.js', [], setup, (j) => {
    if (typeof j.ms === 'number') Object.assign(r, { ms: j.ms, cpu: j.cpuMs as number });
    done();
  });
  await printed;
  await run.json();
  return r;
}

async function http(setup: Setup): Promise<{ rps: number; cpu: number }> {
  const r = { rps: NaN, cpu: NaN };
  let port: (p: number) => void = () => undefined;
  const listening = new Promise<number>((ok) => (port = ok));
  let quit: () => void = () => undefined;
  const cpuPrinted = new Promise<void>((ok) => (quit = ok));
  const server = await debugged('http-server.js', [], setup, (j) => {
    if (typeof j.port === 'number') port(j.port);
    if (typeof j.cpuMs === 'number') {
      r.cpu = j.cpuMs;
      quit();
    }
  });
  const client = spawn(process.execPath, [join(here, 'http-client.js'), String(await listening), String(HTTP_REQUESTS), '16'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let text = '';
  client.stdout.setEncoding('utf8').on('data', (d: string) => (text += d));
  await new Promise((ok) => client.on('close', ok));
  for (const line of text.split('\n')) if (line.startsWith('{')) r.rps = (JSON.parse(line) as { rps: number }).rps;
  await cpuPrinted;
  await server.json();
  return r;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const a: Record<Setup, { ms: number; cpu: number }[]> = { 'async-stacks': [], 'no-async-stacks': [], agent: [] };
  const h: Record<Setup, { rps: number; cpu: number }[]> = { 'async-stacks': [], 'no-async-stacks': [], agent: [] };
  for (let i = 0; i < RUNS; i++) {
    for (const s of SETUPS) a[s].push(await awaits(s));
    for (const s of SETUPS) h[s].push(await http(s));
  }
  console.log(`Node ${process.version}, under a CDP client attached as js-debug is, median of ${RUNS} interleaved runs, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}.\n`);
  console.log('| setup | 1M awaits: wall | main-thread CPU | HTTP server: req/s | main-thread CPU |');
  console.log('|---|---|---|---|---|');
  const label: Record<Setup, string> = {
    'async-stacks': 'debugger, async stack traces on (js-debug default), no agent',
    'no-async-stacks': 'debugger, async stack traces off, no agent',
    agent: 'debugger, async stack traces off, agent (a followed session)',
  };
  for (const s of SETUPS) {
    console.log(`| ${label[s]} | ${median(a[s].map((r) => r.ms)).toFixed(0)} ms | ${median(a[s].map((r) => r.cpu)).toFixed(0)} ms | ${median(h[s].map((r) => r.rps)).toFixed(0)} | ${median(h[s].map((r) => r.cpu)).toFixed(0)} ms |`);
  }
}

void main();
