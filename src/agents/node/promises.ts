/**
 * Promise tracking with v8.promiseHooks (async_hooks would cost 3.65× on 1M awaits; see docs/tracer-techniques.md).
 *
 * What the hooks reveal (checked on Node 20): an async function's promise is made on entry (top frame = the
 * function); `await x` makes a throwaway promise whose parent is x (top frame = the await line); `await v`
 * of a non-promise first makes a wrapper whose parent is the function's own promise; `.then()` makes a child
 * of its receiver; Promise.all makes its result, then one `.then` child per input. With a creation stack
 * (within the capture budget) each case is told apart exactly.
 *
 * Storms: once the capture budget is spent, the hooks switch to storm mode (storm-mode.ts) until the next flush
 * refills it: only a light init hook and the settled hook (for the records made before the storm). Dropping
 * before/after and the relation logic for the storm is what keeps 1M awaits within budget; relations resume at
 * the next flush. The records themselves are made by promise-records.ts.
 */
import { promiseHooks } from 'node:v8';
import { clock } from './clock';
import { api, ctx, enter, leave, owner, popIfTop } from './context';
import { budget, capture, Top, type Capture } from './frames';
import { fault, FAULTS } from './faults';
import { agentError, guard } from './guard';
import { calledBack } from './flags/async-callbacks';
import { consumed, suspect } from './flags/never-awaited';
import { checkOutcomes, setOutcomePublisher, settled } from './promise-outcomes';
import { addAwait, asyncFnRecord, builtinRecord, dynamicImport, sampledRecord, setAwait, setRecordsPublisher } from './promise-records';
import type { Publisher } from './publisher';
import { bareName, siteFunction } from './sites';
import { beginStorm, setStormPublisher, storm, stormInit, stormPromise } from './storm-mode';
import { refillScouts } from './storm-scouts';
import { addRecord, addResumes, API_INTERNAL, RecordBit, INTERNAL, newId, Rec, recordOf, resumesOf, unsampledMarker } from './records';

type Tracked = Promise<unknown>;

const PromiseProto = Promise.prototype;
const getProto = Object.getPrototypeOf;
const COMBINATORS = new Set(['all', 'race', 'allSettled', 'any']);
const REACTIONS = new Set(['then', 'catch', 'finally']);

let publisher: Publisher;
let lastCombinator: Rec | null = null;
let inits = 0;

type Stop = () => void;
let stops: Stop[] = [];
let stopSettled: Stop | null = null;

export interface PromiseTracking {
  stop(): void;
  /** Called at each flush, before publishing: settles outcomes, and leaves storm mode if the budget allows. */
  calm(): void;
}

export function startPromiseTracking(pub: Publisher): PromiseTracking {
  publisher = pub;
  setOutcomePublisher(pub);
  setRecordsPublisher(pub);
  setStormPublisher(pub);
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
      if (storm.on && stopSettled && budget.tokens >= 1) fullMode();
    },
  };
}

function fullMode(): void {
  for (const stop of stops.splice(0)) stop();
  storm.on = false;
  ctx.current = null;
  ctx.seg.length = 0;
  stops = [promiseHooks.onInit(init), promiseHooks.onBefore(before), promiseHooks.onAfter(after)] as Stop[];
}

function stormMode(o: Rec | null): void {
  for (const stop of stops.splice(0)) stop();
  beginStorm(o);
  stops = [promiseHooks.onInit(stormInit) as Stop];
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
      if (!storm.on) stormMode(o);
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
