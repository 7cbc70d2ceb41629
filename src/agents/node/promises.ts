/**
 * Promise tracking with v8.promiseHooks (async_hooks would cost 3.65× on 1M awaits; see docs/tracer-techniques.md).
 *
 * What the hooks reveal (checked on Node 20): an async function's promise is made on entry (top frame = the
 * function); `await x` makes a throwaway promise whose parent is x (top frame = the await line); `await v`
 * of a non-promise first makes a wrapper whose parent is the function's own promise; `.then()` makes a child
 * of its receiver; Promise.all makes its result, then one `.then` child per input. With a creation stack
 * (within the capture budget) each case is told apart exactly.
 *
 * Storms: once the capture budget is spent, the hooks switch to storm mode until the next flush refills it:
 * only a light init hook (counts root promises under the running task's unsampled marker, for the rollup)
 * and the settled hook (for the records made before the storm). Dropping before/after and the relation logic for the storm is what
 * keeps 1M awaits within budget; relations resume at the next flush. The program's async functions started in
 * a storm still get a record, with their await line, when the storm's scouts find them (storm-scouts.ts).
 */
import { promiseHooks } from 'node:v8';
import { clock } from './clock';
import { ctx, enter, leave, owner, popIfTop } from './context';
import { budget, capture, Top, type Capture } from './frames';
import { fault, FAULTS } from './faults';
import { agentError, guard } from './guard';
import { calledBack } from './flags/async-callbacks';
import { consumed, suspect, suspicion } from './flags/never-awaited';
import { checkOutcomes, setOutcomePublisher, settled } from './promise-outcomes';
import type { Publisher } from './publisher';
import { bareName, siteFunction } from './sites';
import { refillScouts, scoutAwait, scoutMadeBy, scoutRoot, scouts, watchAwait } from './storm-scouts';
import type { TaskKind } from '../../protocol/events';
import { addRecord, addResumes, API_INTERNAL, RecordBit, INTERNAL, newId, Rec, recordOf, resumesOf, State, unsampledApiMarker, unsampledMarker } from './records';

type Tracked = Promise<unknown>;

const PromiseProto = Promise.prototype;
const getProto = Object.getPrototypeOf;
const COMBINATORS = new Set(['all', 'race', 'allSettled', 'any']);
const REACTIONS = new Set(['then', 'catch', 'finally']);

/** Depth of Node API calls whose promises are named by the API (fs.promises ...), see resources/promise-apis. */
export const api = { depth: 0 };

let publisher: Publisher;
let lastCombinator: Rec | null = null;
let inits = 0;

type Stop = () => void;
let stops: Stop[] = [];
let stopSettled: Stop | null = null;
let storm = false;
let stormMarker: Rec | null = null;
let stormOwner: Rec | null = null;

export interface PromiseTracking {
  stop(): void;
  /** Called at each flush, before publishing: settles outcomes, and leaves storm mode if the budget allows. */
  calm(): void;
}

export function startPromiseTracking(pub: Publisher): PromiseTracking {
  publisher = pub;
  setOutcomePublisher(pub);
  stopSettled = promiseHooks.onSettled(settled) as Stop;
  fullMode();
  return {
    stop(): void {
      for (const stop of stops.splice(0)) stop();
      stopSettled?.();
      stopSettled = null;
    },
    calm(): void {
      checkOutcomes();
      refillScouts();
      if (storm && stopSettled && budget.tokens >= 1) fullMode();
    },
  };
}

function fullMode(): void {
  for (const stop of stops.splice(0)) stop();
  storm = false;
  ctx.current = null;
  ctx.seg.length = 0;
  stops = [promiseHooks.onInit(init), promiseHooks.onBefore(before), promiseHooks.onAfter(after)] as Stop[];
}

function stormMode(o: Rec | null): void {
  for (const stop of stops.splice(0)) stop();
  storm = true;
  stormOwner = o;
  stormMarker = unsampledMarker(o);
  stops = [promiseHooks.onInit(stormInit) as Stop];
}

/**
 * Roots are counted under the storm's marker as they are made, and carry nothing (no field to add now, and
 * nothing for the settled hook to look at later: ~half of a storm's promises, e.g. a busy server's handlers).
 * Reactions get the task that was running when the storm began, so that task is still itself when it resumes
 * after the storm, and consume a suspect.
 */
function stormInit(promise: Tracked, parentPromise: Tracked | undefined): void {
  if (api.depth !== 0 || guard.busy || getProto(promise) !== PromiseProto) return;
  try {
    if (FAULTS) fault('promise init');
    stormPromise(promise, parentPromise, stormInit);
  } catch (err) {
    agentError('promise init', err);
  }
}

/** `hook`: the promise hook running (the agent's frames end there). */
function stormPromise(promise: Tracked, parentPromise: Tracked | undefined, hook: Function): void {
  if (parentPromise === undefined) {
    if (scouts.awaiting !== null && madeByScouted(promise, hook)) return;
    if (scouts.left > 0 && scouted(promise, hook)) return;
    publisher.countUnsampled(stormMarker as Rec, false);
    return;
  }
  // A reaction on a never-awaited suspect still consumes it (`async (id) => findUser(id)` under load: the
  // outer promise's `then` on the returned one comes in a storm), or it would be flagged for nothing.
  if ((suspicion.open | suspicion.groups) !== 0) {
    const on = recordOf(parentPromise);
    if (on !== undefined && (on.flags & RecordBit.Suspect) !== 0) consumed(on, publisher);
  }
  if (scouts.awaiting !== null && scoutedAwait(promise, parentPromise, hook)) return;
  if (stormOwner !== null) {
    // Until it ends: a long loop of awaits keeps its task; a busy server's storm starts in one short
    // request's handler, and stamping every later reaction with it would cost a field per promise for nothing.
    if (stormOwner.state >= State.Done) stormOwner = null;
    else addResumes(promise, stormOwner);
  }
}

/** A root promise in a storm: a program's async function the scouts found gets a record (no suspect, no segment). */
function scouted(promise: Tracked, hook: Function): boolean {
  const cap = scoutRoot(hook);
  if (cap === null) return false;
  const caller = cap.callerSite === null ? undefined : siteFunction(cap.callerSite);
  const parent = stormOwner !== null && caller !== undefined && bareName(caller) === bareName(stormOwner.name) ? stormOwner : null;
  const r = asyncFnRecord(parent, cap);
  addRecord(promise, r);
  watchAwait(r);
  return true;
}

/** A promise a function the scouts found made before its first await (what it awaits, most often). */
function madeByScouted(promise: Tracked, hook: Function): boolean {
  const r = scouts.awaiting as Rec;
  const cap = scoutMadeBy(hook);
  if (cap === null) return false;
  addRecord(promise, cap.top === Top.Builtin ? builtinRecord(r, cap) : asyncFnRecord(r, cap));
  return true;
}

/** The await of a function the scouts found: its await line, and its throwaway resumes it after the storm. */
function scoutedAwait(promise: Tracked, parentPromise: Tracked, hook: Function): boolean {
  const r = scouts.awaiting as Rec;
  const cap = scoutAwait(hook);
  if (cap === null) return false;
  setAwait(r, sampledRecord(parentPromise), cap.topSite);
  addResumes(promise, r);
  return true;
}

/** The capture budget is spent and relations are off: work started now is counted, not recorded. */
export function inStorm(): boolean {
  return storm && budget.tokens < 1;
}

/**
 * During a storm (the capture budget is spent, relations are off), a Node API call (resources/promise-apis.ts)
 * is counted under its name instead of getting a record: true when it was.
 */
export function countedInStorm(kind: TaskKind, name: string): boolean {
  if (!inStorm()) return false;
  try {
    publisher.countUnsampled(unsampledApiMarker(owner(), kind, name), false);
    return true;
  } catch (err) {
    agentError(name, err);
    return false;
  }
}

function init(promise: Tracked, parentPromise: Tracked | undefined): void {
  if (guard.busy || getProto(promise) !== PromiseProto) return;
  try {
    if (FAULTS) fault('promise init');
    if ((++inits & 1023) === 0) clock.now();
    let o = owner();
    if (api.depth !== 0 || (o !== null && (o.flags & RecordBit.Contagious) !== 0)) {
      addRecord(promise, API_INTERNAL);
      return;
    }
    if (budget.tokens < 1) {
      if (!storm) stormMode(o);
      stormPromise(promise, parentPromise, init);
      return;
    }
    const cap = capture(init);
    if (cap !== null && ctx.seg.length !== 0) {
      dropReturned(cap, parentPromise === undefined && cap.top === Top.User && !cap.midFunction);
      o = owner();
    }
    if (cap !== null && cap.top === Top.Internal) addRecord(promise, INTERNAL);
    else if (parentPromise === undefined) addRecord(promise, rootPromise(o, cap));
    else childPromise(promise, o, parentPromise, cap);
  } catch (err) {
    agentError('promise init', err);
  }
}

/** A promise without a parent: an async function's own promise, new Promise, Promise.all's result ... */
function rootPromise(o: Rec | null, cap: Capture | null): Rec {
  // Unsampled (storm) promises share their creator's marker: counted when they settle, rolled up at flush.
  if (cap === null) return unsampledMarker(o);
  if (cap.top === Top.Builtin && cap.stack.length === 0) return INTERNAL; // made by Node internals
  if (cap.byLoader) return INTERNAL; // the loader's work, or an ES module's evaluation (top-level await)
  if (cap.midFunction) return dynamicImport(o, cap);
  if (cap.top !== Top.Builtin) {
    const r = asyncFnRecord(o, cap);
    ctx.seg.push(r);
    if (o !== null && (o.flags & RecordBit.AsyncFn) !== 0 && cap.callerIsUser) suspect(r);
    else if (cap.calledBackBy !== null) calledBack(r, cap.calledBackBy);
    return r;
  }
  const r = builtinRecord(o, cap);
  if (COMBINATORS.has(cap.topFn)) lastCombinator = r;
  return r;
}

/** A builtin's promise (`new Promise`, `Promise.all` ...), at the line that called it, published. */
function builtinRecord(o: Rec | null, cap: Capture): Rec {
  const r = new Rec(newId(), 'promise', builtinName(cap.topFn), o, null, 0, clock.coarse);
  r.site = cap.callerSite;
  if (cap.stack.length > 1) r.more.stack = cap.stack;
  publisher.add(r);
  return r;
}

/** An async function's own promise (the top frame is the function, on its first line), published. */
function asyncFnRecord(o: Rec | null, cap: Capture): Rec {
  const r = new Rec(newId(), 'promise', cap.topFn, o, null, RecordBit.AsyncFn, clock.coarse);
  r.site = cap.callerSite ?? cap.topSite;
  if (cap.stack.length > 2) r.more.stack = cap.stack.slice(1);
  publisher.add(r);
  return r;
}

/** `import()`'s promise: made by V8 in the running function (not its own promise, never a suspect). */
function dynamicImport(o: Rec | null, cap: Capture): Rec {
  const r = new Rec(newId(), 'promise', 'import()', o, null, 0, clock.coarse);
  r.site = cap.topSite;
  if (cap.stack.length > 1) r.more.stack = cap.stack;
  publisher.add(r);
  return r;
}

/** A promise made from another one: an await's throwaway, a wrapper, a .then() child, a combinator reaction. */
function childPromise(promise: Tracked, running: Rec | null, parentPromise: Tracked, cap: Capture | null): void {
  let o = running;
  const awaitSite = cap === null ? null : cap.topSite;
  const wrapperOf = resumesOf(parentPromise);
  if (wrapperOf !== undefined) {
    // The parent is the wrapper of `await nonPromise`: its function yields, waiting on nothing.
    if (wrapperOf !== null) {
      setAwait(wrapperOf, null, awaitSite);
      popIfTop(wrapperOf);
      addResumes(promise, wrapperOf);
    }
    return;
  }
  const on = sampledRecord(parentPromise);
  if (o !== null && o === on && cap !== null && (cap.top !== Top.User || cap.topFn !== o.name)) {
    // Its own promise is used outside it: it returned a promise (`return Promise.all(...)`) and stayed on
    // the segment stack because its promise has not settled yet. The code running is its caller's.
    popIfTop(o);
    o = owner();
  }
  // Any reaction on it consumes it, except the wrapper `await nonPromise` makes on the function's own promise.
  if (on !== null && (on.flags & RecordBit.Suspect) !== 0 && !(o === on && cap !== null)) consumed(on, publisher);
  if (cap !== null && cap.top === Top.Builtin) {
    if (REACTIONS.has(cap.topFn) && cap.nextBuiltin !== null && COMBINATORS.has(cap.nextBuiltin) && lastCombinator) {
      addAwait(lastCombinator, on);
      addResumes(promise, lastCombinator);
      return;
    }
    if (cap.stack.length === 0 || cap.byLoader) {
      addRecord(promise, INTERNAL);
      return;
    }
    // `.catch()` and `.finally()` call `.then()`: name the reaction by the method the program called.
    const method = cap.nextBuiltin !== null && REACTIONS.has(cap.nextBuiltin) ? cap.nextBuiltin : cap.topFn;
    const r = new Rec(newId(), 'promise', `.${method}()`, o, null, 0, clock.coarse);
    r.site = cap.callerSite;
    if (cap.stack.length > 1) r.more.stack = cap.stack;
    setAwait(r, on, null);
    publisher.add(r);
    addRecord(promise, r);
    return;
  }
  if (o !== null && o === on) {
    addResumes(promise, o); // the wrapper of `await nonPromise` made by the running async function itself
    return;
  }
  if (o !== null) {
    setAwait(o, on, awaitSite);
    popIfTop(o);
    addResumes(promise, o);
  }
}

/** The record of a promise, when it has one of its own (not Node's, not a storm's count). */
function sampledRecord(promise: Tracked): Rec | null {
  const target = recordOf(promise);
  return target === undefined || (target.flags & (RecordBit.Internal | RecordBit.Unsampled)) !== 0 ? null : target;
}

/**
 * Async functions on the segment stack whose frame is no longer on the real stack: they returned a promise
 * (`return Promise.all(...)`, `return other()`), so their own promise has not settled and nothing popped
 * them. What their caller creates next is the caller's. The entries above the highest one seen in the
 * captured stack are gone (a running one would sit between it and the top, so it would be seen too); when
 * none is seen, all are gone if the capture holds the whole stack, otherwise nothing is known.
 * `ownFrame`: stack[0] is a new async function's own first frame, not a running one (recursion).
 */
function dropReturned(cap: Capture, ownFrame: boolean): void {
  const seg = ctx.seg;
  const stack = cap.stack;
  for (let k = seg.length - 1; k >= 0; k--) {
    const name = bareName(seg[k].name);
    for (let i = ownFrame ? 1 : 0; i < stack.length; i++) {
      if (siteFunction(stack[i]) === name) {
        seg.length = k + 1;
        return;
      }
    }
  }
  if (cap.complete) seg.length = 0;
}

function builtinName(fn: string): string {
  return fn === 'Promise' ? 'new Promise' : `Promise.${fn}`;
}

function setAwait(r: Rec, on: Rec | null, site: number | null): void {
  if ((r.flags & RecordBit.Internal) !== 0) return;
  const more = r.more;
  if (on === null && r.awaitOn === null && more.awaitSite === site) return; // storms: nothing new to say
  r.awaitOn = on === null ? null : [on];
  more.awaitSite = site;
  more.awaitT = clock.coarse;
  r.awaitVer++;
  publisher.touch(r);
}

function addAwait(r: Rec, on: Rec | null): void {
  if (on === null) return;
  if (r.awaitOn === null) r.awaitOn = [on];
  else r.awaitOn.push(on);
  r.more.awaitT = clock.coarse;
  r.awaitVer++;
  publisher.touch(r);
}

/** Resumes at least this long are sent as running slices (`step`), as the Python agent does (SLICE_MIN). */
const SLICE_MIN_MS = 2;
/** The task resumed by the reaction running now, and since when (its running slice ends in `after`). */
let resumed: Rec | null = null;
let resumedAt = 0;

function before(promise: Tracked): void {
  if (guard.busy) return;
  try {
    if (FAULTS) fault('promise before');
    // A throwaway resumes its owner; a .then() child runs its callback as itself.
    const resumes = resumesOf(promise);
    let runs = resumes !== undefined ? resumes : (recordOf(promise) ?? null);
    if (runs === INTERNAL || (runs !== null && (runs.flags & RecordBit.Unsampled) !== 0)) runs = null;
    enter(runs);
    resumed = runs;
    if (runs !== null) resumedAt = clock.now();
    if (runs !== null && runs.awaitOn !== null && (runs.flags & RecordBit.Internal) === 0) {
      runs.awaitOn = null;
      runs.awaitVer++;
      publisher.touch(runs);
    }
  } catch (err) {
    agentError('promise before', err);
  }
}

function after(): void {
  if (guard.busy) return;
  try {
    if (FAULTS) fault('promise after');
    const r = resumed;
    if (r !== null) {
      resumed = null;
      const dur = clock.now() - resumedAt;
      // Not for a record without a site that nothing published: work the capture found no program frame in
      // (the ES module loader's promises), which a slice would publish as a bare "promise" (more often under
      // load, where a resume takes 2 ms+ more often).
      if (dur >= SLICE_MIN_MS && (r.site !== null || (r.flags & RecordBit.Published) !== 0)) sendSlice(r, resumedAt, dur);
    }
  } catch (err) {
    agentError('promise after', err);
  }
  leave(null);
}

/** A resume that ran long enough to show: a solid running slice on the timeline and a step in the trace. */
function sendSlice(r: Rec, t: number, dur: number): void {
  r.more.lastStepEnd = t + dur;
  publisher.noteStep(r, t, dur);
}
