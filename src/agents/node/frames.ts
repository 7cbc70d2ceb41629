/**
 * Creation stacks, within a budget. A stack capture costs ~4 µs (docs/tracer-techniques.md), and 20-30 µs under
 * a deep HTTP stack: far too much per promise. Captures come from a token bucket
 * (AgentConfig.stackCapturesPerSec, default 2000/s, a quarter second's worth at start) that is also charged
 * the time each capture took, so captures take at most ~0.5% of the CPU time the program uses
 * (CAPTURE_CPU_SHARE, with a floor for programs that mostly wait and a cap per wall-clock second) after a
 * burst at start. Ordinary programs stay under both and every promise gets its site; storms of promises are
 * sampled and the rest are rolled up without a site.
 *
 * Captures of work that is not the program's own are paid from a one-off allowance instead
 * (FOREIGN_CAPTURES): no program frame at all (Node's ES module loader: ~10 promises per module imported), or
 * made and called by a dependency's code (node_modules). Importing 200 modules, or a library's promises at
 * start-up, must not spend the budget the program's own first promises need. js-debug's bootloader (first in
 * NODE_OPTIONS under VS Code's debugger) is not the program's code at all: its frames are Node's.
 */
import { clock } from './clock';
import { internSite } from './sites';

export const enum Top { User = 0, Builtin = 1, Internal = 2 }

/** What the creation stack says about a new promise or resource. */
export interface Capture {
  top: Top;
  /** Function name of the top frame: the async function, or the builtin ('then', 'all', 'Promise'). */
  topFn: string;
  /** The builtin right below a builtin top frame (e.g. 'all' for the reactions Promise.all makes). */
  nextBuiltin: string | null;
  /** The top frame as a site, when it is user code (the await line inside an async function). */
  topSite: number | null;
  /** The first user frame below the top frame (the line that called the async function / API). */
  callerSite: number | null;
  /** User frames, innermost first. */
  stack: number[];
  /** The frame right below the top one is user code (not Node internals or a builtin calling back). */
  callerIsUser: boolean;
  /**
   * The builtin (`forEach`, `map`, `filter` ...) that called the top frame back, when the program called that
   * builtin itself (the frame below it is user code): `items.forEach(async (x) => ...)`.
   */
  calledBackBy: string | null;
  /** The whole stack was captured (fewer frames than the depth limit): `stack` lists every user frame. */
  complete: boolean;
  /**
   * Node's module loader runs between the top frame and the program's code: a promise of the loader's own
   * work (a dynamic import) or an ES module's evaluation promise (its body, run by the loader, is the top
   * frame; V8 settles it for the loader only). Never a task of the program.
   */
  byLoader: boolean;
  /**
   * A dependency's own work: the first frame outside Node is in node_modules, and so is its caller unless it
   * is an await inside that frame's function. Not when the program called it (`db.query()` from the program
   * is the program's).
   */
  foreign: boolean;
  /**
   * The top frame is user code past its function's first line: a promise V8 made inside running code
   * (`import()`), not the async function's own promise (made at its entry, on its first line).
   */
  midFunction: boolean;
}

const agentFiles = new Set<string>();
export function markAgentFile(file: string): void {
  agentFiles.add(file);
  fileKinds.delete(file);
}

/** At most this much capture time per second of wall time (a program using a whole core: 0.5%)... */
const CAPTURE_MS_PER_SEC = 5;
/**
 * ... and at most this share of the CPU time the program used: a server busy a fifth of the time pays 0.5%
 * of its own work, not 2.5%. A program that mostly waits still gets CAPTURE_MS_FLOOR per second (tens of
 * captures a second, enough for every site of a quiet program).
 */
const CAPTURE_CPU_SHARE = 0.005;
const CAPTURE_MS_FLOOR = 1;
/**
 * Program start may spend more at once, then the rate applies. The examples' start-ups take under 120
 * captures; a tight loop of awaits at start spends the whole burst before the first flush (~10 µs a promise
 * with the relation hooks), so it is kept to what start-ups need.
 */
const CAPTURE_MS_BURST = 10;
const START_TOKENS_SHARE = 0.25;
/**
 * Captures of work that is not the program's (Node's module loader, dependencies' own promises) over the whole
 * run, paid apart from the budget. Counted, not timed: on a loaded machine a capture's wall time includes
 * preemption, and a timed allowance ran out on 200 modules (about 2,000 captures, ~10 ms of CPU).
 */
const FOREIGN_CAPTURES = 10_000;
/** No debt: one slow capture (a GC pause inside it) must not stop captures past the next refill. */
const CAPTURE_MS_DEBT = 0;
/**
 * A capture costs µs; one that took longer was preempted (a loaded machine), paused by GC or loaded a
 * file's source map once. Charging all of that let a single slow capture at start spend the whole burst,
 * and the next promises went unsampled: invisible if they never settle (never-settles.js under load).
 */
const CAPTURE_MS_MAX_CHARGE = 0.5;

/** Exported so the promise hook can test it inline (no call per promise when it is empty). */
export const budget = { tokens: 0, rate: 2000, last: 0, ms: CAPTURE_MS_BURST, lastCpuMs: 0, foreignCaptures: FOREIGN_CAPTURES };
const bucket = budget;
export function configureBudget(perSec: number): void {
  bucket.rate = perSec;
  bucket.tokens = Math.max(1, perSec * START_TOKENS_SHARE);
  bucket.last = clock.now();
  bucket.lastCpuMs = cpuMs();
}
/** The process's CPU time (ms): one system call, made at each flush only. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
/** Refilled at each flush (so a microtask storm that starves timers is sampled by the first second's burst). */
export function refillBudget(now: number): void {
  const elapsed = now - bucket.last;
  const cpu = cpuMs();
  const used = cpu - bucket.lastCpuMs;
  bucket.lastCpuMs = cpu;
  const earned = Math.min(elapsed * CAPTURE_MS_PER_SEC, Math.max(elapsed * CAPTURE_MS_FLOOR, used * 1000 * CAPTURE_CPU_SHARE)) / 1000;
  bucket.tokens = Math.min(bucket.rate, bucket.tokens + (elapsed * bucket.rate) / 1000);
  bucket.ms = Math.min(CAPTURE_MS_BURST, bucket.ms + earned);
  if (bucket.ms <= 0) bucket.tokens = Math.min(bucket.tokens, 0);
  bucket.last = now;
}

/** Node's module loaders (ESM and CommonJS): the caller of a module's body. */
const MODULE_LOADER = 'node:internal/modules/';

const structured = (_e: Error, cs: NodeJS.CallSite[]): NodeJS.CallSite[] => cs;

/**
 * Captures the stack above `skip` if the budget allows; null otherwise. `depth` counts Node's own frames
 * too: a resource made deep inside http needs more than a promise made by the program.
 */
export function capture(skip: Function, depth = 10): Capture | null {
  if (bucket.tokens < 1) return null;
  bucket.tokens--;
  const started = clock.now();
  const result = captureUnbudgeted(skip, depth);
  const took = Math.min(CAPTURE_MS_MAX_CHARGE, clock.now() - started);
  if (result !== null && (result.stack.length === 0 || result.byLoader || result.foreign) && bucket.foreignCaptures > 0) {
    bucket.foreignCaptures--; // not the program's work: paid from the one-off allowance, the token goes back
    bucket.tokens++;
    return result;
  }
  bucket.ms = Math.max(CAPTURE_MS_DEBT, bucket.ms - took);
  if (bucket.ms <= 0) bucket.tokens = 0; // out of time: no more captures until the next refill
  return result;
}

/** A capture outside the budget: for callers that keep their own count (storm-scouts.ts). */
export function captureUnbudgeted(skip: Function, depth = 10): Capture | null {
  const holder: { stack?: unknown } = {};
  const limit = Error.stackTraceLimit;
  const prepare = Error.prepareStackTrace;
  let sites: NodeJS.CallSite[];
  try {
    Error.stackTraceLimit = depth;
    Error.prepareStackTrace = structured;
    Error.captureStackTrace(holder, skip);
    sites = holder.stack as NodeJS.CallSite[];
  } finally {
    Error.stackTraceLimit = limit;
    Error.prepareStackTrace = prepare;
  }
  return Array.isArray(sites) && sites.length !== 0 ? describe(sites, sites.length < depth) : null;
}

function describe(sites: NodeJS.CallSite[], complete: boolean): Capture {
  const first = sites[0];
  const top = classify(first);
  const result: Capture = {
    top,
    topFn: top === Top.User ? functionLabel(first) : (first.getFunctionName() ?? '<anonymous>'),
    nextBuiltin: sites.length > 1 && classify(sites[1]) === Top.Builtin ? sites[1].getFunctionName() : null,
    topSite: top === Top.User ? siteOf(first) : null,
    callerSite: null,
    stack: [],
    callerIsUser: sites.length > 1 && classify(sites[1]) === Top.User,
    calledBackBy: null,
    complete,
    byLoader: false,
    foreign: false,
    midFunction: top === Top.User && first.getLineNumber() !== (first.getEnclosingLineNumber?.() ?? first.getLineNumber()),
  };
  if (result.nextBuiltin !== null && top === Top.User && sites.length > 2 && classify(sites[2]) === Top.User) result.calledBackBy = result.nextBuiltin;
  let dependencyFrames = 0;
  for (let i = 0; i < sites.length; i++) {
    if (classify(sites[i]) !== Top.User) {
      // Frames between the top one and the first caller in user code.
      if (i > 0 && result.callerSite === null && !result.byLoader) result.byLoader = (sites[i].getFileName() ?? '').startsWith(MODULE_LOADER);
      continue;
    }
    if (result.stack.length < 2 && inDependency(sites[i])) dependencyFrames |= 1 << result.stack.length;
    const id = siteOf(sites[i]);
    if (id === null) continue;
    result.stack.push(id);
    if (i > 0 && result.callerSite === null) result.callerSite = id;
  }
  // Bit 0: the first frame outside Node is a dependency's; bit 1: its caller is too.
  result.foreign = (dependencyFrames & 1) !== 0 && (dependencyFrames === 3 || result.stack.length < 2 || result.midFunction);
  return result;
}

/** The stack of the caller of `skip` as user-code sites, innermost first (no budget: for rare events). */
export function userStack(skip: Function, depth = 20): number[] {
  const holder: { stack?: unknown } = {};
  const limit = Error.stackTraceLimit;
  const prepare = Error.prepareStackTrace;
  let sites: unknown;
  try {
    Error.stackTraceLimit = depth;
    Error.prepareStackTrace = structured;
    Error.captureStackTrace(holder, skip);
    sites = holder.stack; // formatted on first read: while `structured` is installed
  } finally {
    Error.stackTraceLimit = limit;
    Error.prepareStackTrace = prepare;
  }
  if (!Array.isArray(sites)) return [];
  const out: number[] = [];
  for (const cs of sites as NodeJS.CallSite[]) {
    if (classify(cs) !== Top.User) continue;
    const id = siteOf(cs);
    if (id !== null) out.push(id);
  }
  return out;
}

/** User-code frames of a formatted `error.stack` ("    at fn (file:line:col)"), innermost first. */
export function sitesOfStackText(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(/^\s+at (?:(.*?) \()?(.+?):(\d+):(\d+)\)?$/gm)) {
    const file = m[2].startsWith('async ') ? m[2].slice(6) : m[2];
    if (kindOfFile(file) !== Top.User || !/[\/\\]/.test(file)) continue;
    const fn = (m[1] ?? '<anonymous>').replace(/^async /, '');
    const id = internSite(file, Number(m[3]), Number(m[4]), () => fn);
    if (id !== null) out.push(id);
    if (out.length >= 20) break;
  }
  return out;
}

function classify(cs: NodeJS.CallSite): Top {
  const file = cs.getFileName();
  return file ? kindOfFile(file) : Top.Builtin;
}

/** Per file name, once: Node's own (or the agent's) code, or the program's (its dependencies included). */
const fileKinds = new Map<string, Top>();
function kindOfFile(file: string): Top {
  let kind = fileKinds.get(file);
  if (kind === undefined) {
    // WebAssembly has no source to open (and in practice it is undici's HTTP parser): never a site.
    const internal = file.startsWith('node:') || file.startsWith('internal/') || file.startsWith('wasm://') || agentFiles.has(file) || JS_DEBUG_BOOTLOADER.test(file);
    kind = internal ? Top.Internal : Top.User;
    if (fileKinds.size < 10_000) fileKinds.set(file, kind);
  }
  return kind;
}

/** VS Code's js-debug bootloader (`…/ms-vscode.js-debug/src/bootloader.js`, the nightly's too). */
const JS_DEBUG_BOOTLOADER = /js-debug[^\\/]*[\\/](?:src|dist)[\\/]bootloader\.js$/;

function inDependency(cs: NodeJS.CallSite): boolean {
  const file = cs.getFileName() ?? '';
  return file.includes('/node_modules/') || file.includes('\\node_modules\\');
}

function siteOf(cs: NodeJS.CallSite): number | null {
  return internSite(cs.getFileName() ?? '<unknown>', cs.getLineNumber() ?? 0, cs.getColumnNumber() ?? 0, () => functionLabel(cs));
}

function functionLabel(cs: NodeJS.CallSite): string {
  const fn = cs.getFunctionName();
  if (!fn) return '<anonymous>';
  let type: string | null = null;
  try {
    type = cs.isToplevel() ? null : cs.getTypeName();
  } catch {
    type = null;
  }
  return type && type !== 'Object' && type !== 'global' && !fn.includes('.') ? `${type}.${fn}` : fn;
}
