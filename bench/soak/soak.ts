/**
 * Soak run (issue #16, suite 6): a traced server under steady loopback load for a long time, fed through the
 * same Inspection the extension host owns, its deltas posted to the real webview bundle in headless Chromium.
 * Every sample: the agent process's RSS, this process's heap after a full GC (the Inspection's model, lints and
 * delta pump: the extension host's share, plus the playwright driver), the webview's heap after a full GC, the
 * load's throughput in that window, and the model's task total (so events silently lost would show as fewer
 * tasks per request). Used by bench/soak/run.ts (minutes) and test/inspection/soak.test.ts (seconds).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Inspection, type LaunchedInspection } from '../../src/inspection/inspection';
import type { InspectionEnd } from '../../src/inspection/events';
import { WebviewProbe } from '../memory/webview';

const HERE = resolve(__dirname);

export interface SoakOptions {
  runtime: 'node' | 'python';
  /** The interpreter for a Python soak (needs aiohttp: the test venv's). */
  python?: string;
  durationMs: number;
  sampleMs: number;
  /** Requests per second the load sends. */
  rate: number;
  maxFinishedTasks?: number;
}

export interface SoakSample {
  atS: number;
  agentRssMb: number;
  hostHeapMb: number;
  webviewHeapMb: number;
  webviewDomNodes: number;
  /** Requests answered per second in the window before this sample. */
  rps: number;
  /** Tasks the model has counted so far (retired ones included). */
  tasksCounted: number;
}

export interface SoakResult {
  samples: SoakSample[];
  served: number;
  loadErrors: number;
  droppedEvents: number;
  agentErrors: string[];
  viewProblems: string[];
  end: InspectionEnd;
}

/** A full GC before each heap reading (without needing node --expose-gc: tests run under the plain runner). */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const mb = (bytes: number): number => Math.round((bytes / 1048576) * 10) / 10;

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 102.4) / 10 : NaN;
}

/** Least-squares slope of `ys` over `xs` (per unit of x). */
export function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

export async function soak(o: SoakOptions): Promise<SoakResult> {
  const view = await WebviewProbe.open();
  let served = 0;
  let port: ((p: number) => void) | undefined;
  const portKnown = new Promise<number>((ok) => (port = ok));
  let stdout = '';
  let posting = Promise.resolve();
  const post = (m: Parameters<WebviewProbe['post']>[0]): void => {
    posting = posting.then(() => view.post(m));
  };
  const command = o.runtime === 'node' ? ['node', join(HERE, 'server.js')] : [o.python ?? 'python3', join(HERE, 'server.py')];
  const inspection: LaunchedInspection = await Inspection.launch({ command, cwd: HERE }, {
    maxFinishedTasks: o.maxFinishedTasks,
    listener: (e) => {
      switch (e.type) {
        case 'session': return post({ type: 'reset', session: e.info });
        case 'delta': return post({ type: 'delta', delta: e.delta });
        case 'ended': return post({ type: 'ended', exitCode: e.exitCode, signal: e.signal });
        case 'output':
          stdout += e.text;
          for (const line of stdout.split('\n').slice(0, -1)) {
            const msg = JSON.parse(line) as { port?: number; served?: number };
            if (msg.port) port?.(msg.port);
            if (msg.served !== undefined) served = msg.served;
          }
          stdout = stdout.slice(stdout.lastIndexOf('\n') + 1);
          return;
        case 'warning': return;
      }
    },
  });
  const windowMs = o.sampleMs;
  const load: ChildProcess = spawn('node', [join(HERE, 'steady-load.js'), String(await portKnown), String(o.rate), '8', String(windowMs)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const windows: { done: number; errors: number }[] = [];
  load.stdout!.setEncoding('utf8').on('data', (t: string) => {
    for (const line of t.trim().split('\n')) windows.push(JSON.parse(line) as { done: number; errors: number });
  });
  const samples: SoakSample[] = [];
  const started = performance.now();
  try {
    while (performance.now() - started < o.durationMs) {
      const seen = windows.length;
      while (windows.length === seen) await new Promise((ok) => setTimeout(ok, 50));
      await posting;
      gc();
      const page = await view.heap();
      const w = windows[windows.length - 1];
      const counts = inspection.snapshot().counts;
      samples.push({
        atS: Math.round((performance.now() - started) / 100) / 10,
        agentRssMb: rssMb(inspection.program.pid),
        hostHeapMb: mb(process.memoryUsage().heapUsed),
        webviewHeapMb: mb(page.usedBytes),
        webviewDomNodes: page.domNodes,
        rps: Math.round((w.done * 1000) / windowMs),
        tasksCounted: Object.values(counts).reduce((a, b) => a + b, 0),
      });
    }
  } finally {
    load.kill();
  }
  const loadErrors = windows.reduce((a, w) => a + w.errors, 0);
  await inspection.stop();
  const end = await inspection.ended;
  await posting;
  const viewProblems = await view.problems();
  await view.close();
  return { samples, served, loadErrors, droppedEvents: end.report.droppedEvents, agentErrors: end.report.agentErrors, viewProblems, end };
}
