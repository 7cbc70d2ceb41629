/**
 * Fault injection, a test mode (issue 16, bench/faults): with `ASYNC_INSPECTOR_FAULTS` set, the agent's hooks,
 * patches and wrappers named there throw (or, under `garbage:`, hand back garbage where a garbage variant
 * exists: the encoder, the stall sample, the writer), to show that a failing agent never changes the program's
 * output, exit code or behaviour and that each failure is reported once.
 *
 * `ASYNC_INSPECTOR_FAULTS=all` | `hook[,hook...]` | `garbage:all` | `garbage:hook,...`. A hook matches a point
 * of the same name and the points named `hook.…` or `hook …` (`fs` matches `fs.readFile`, `promise` every
 * promise hook). `ASYNC_INSPECTOR_FAULTS_LOG=file`: each point that fires appends `pid thread point` there,
 * once per thread, so the bench can tell the faults that fired from those reported.
 *
 * Unset (every normal run) it costs one check of a constant at each point: `if (FAULTS) fault('...')`.
 */
import { appendFileSync } from 'node:fs';
import { isMainThread, threadId, workerData } from 'node:worker_threads';

interface FaultSpec {
  hooks: readonly string[];
  garbage: boolean;
  log: string | undefined;
}

/** The writer thread runs with `env: {}`: its channel passes the setting on in its workerData. */
export interface FaultSetting {
  spec: string;
  log?: string;
}

export const FAULT_ENV = 'ASYNC_INSPECTOR_FAULTS';
export const FAULT_LOG_ENV = 'ASYNC_INSPECTOR_FAULTS_LOG';

function read(): FaultSpec | null {
  const handed = (workerData as { asyncInspectorFaults?: FaultSetting } | null | undefined)?.asyncInspectorFaults;
  const text = process.env[FAULT_ENV] ?? handed?.spec;
  if (!text) return null;
  const garbage = text.startsWith('garbage:');
  const hooks = (garbage ? text.slice(8) : text).split(',').map((h) => h.trim()).filter((h) => h !== '');
  return { hooks, garbage, log: process.env[FAULT_LOG_ENV] ?? handed?.log };
}

const spec = read();
/** True only in the fault-injection test mode. */
export const FAULTS = spec !== null;
const fired = new Set<string>();

/** What the writer thread needs to inject the same faults (undefined in a normal run). */
export function faultSetting(): FaultSetting | undefined {
  return spec === null ? undefined : { spec: (spec.garbage ? 'garbage:' : '') + spec.hooks.join(','), log: spec.log };
}

/**
 * Points `all` leaves out: failing there, the agent never starts, never says hello or installs nothing, so no
 * other point would run. Each is tested on its own.
 */
const START_UP = new Set(['agent start', 'encoder', 'writer', 'writer start']);

function matches(point: string): boolean {
  if (spec === null) return false;
  for (const h of spec.hooks) {
    if ((h === 'all' && !START_UP.has(point) && !point.startsWith('install')) || point === h || (point.startsWith(h) && (point[h.length] === '.' || point[h.length] === ' '))) return true;
  }
  return false;
}

function note(point: string): void {
  if (fired.has(point)) return;
  fired.add(point);
  if (spec?.log === undefined) return;
  try {
    appendFileSync(spec.log, `${process.pid} ${isMainThread ? 0 : threadId} ${point}\n`);
  } catch {
    // The log is the bench's; the fault still fires.
  }
}

/** Throws at `point` when the test mode names it (not under `garbage:`, which only `faulty` points serve). */
export function fault(point: string): void {
  if (spec?.garbage !== false || !matches(point)) return;
  note(point);
  throw new Error('injected fault');
}

/** `value`, or `junk()` when the test mode names `point` under `garbage:` (throws there otherwise). */
export function faulty<T>(point: string, value: T, junk: () => T): T {
  if (!matches(point)) return value;
  note(point);
  if (spec?.garbage === true) return junk();
  throw new Error('injected fault');
}
