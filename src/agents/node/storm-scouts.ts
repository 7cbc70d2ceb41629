/**
 * Scouts: the program's async functions keep a record in a storm (promises.ts, storm mode).
 *
 * In a storm the capture budget is spent and root promises are only counted: nothing V8 hands the promise
 * hook says which function made a promise, and the cheapest capture that would (one frame, never formatted)
 * costs ~3 µs (taken for every root promise of 1M awaits: 0.2 s → 3 s). So the hook looks at the first few root
 * promises of each flush window only (up to SCOUTS_MAX captures), and a scout that finds an async function of
 * the program (not Node's code, not a dependency's own work) not yet seen in this window gives it a record of
 * its own (and is not counted as spent when the function was never seen before in the run): an async function started right after the budget ran out (the
 * debugger e2e's sendMail, under js-debug) is shown, pending at a stop or flagged at exit. A steady storm of
 * the same functions brings the scouts down to one a window (see SCOUTS_MAX). A new function is found only
 * among the first root promises after each flush: one started after the scouts were spent on a storm in the
 * same window is counted, as before.
 *
 * What it awaits: the next few promises (AWAIT_TRIES) after a function found for the first time in the run are
 * captured too: a promise it makes
 * (`new Promise` in a helper it calls, another async function it calls) gets a record, its child; the
 * throwaway of its first `await` (matched by function) gives its await line and what it awaits. So it is
 * shown at its await line, and a chain that never settles is flagged pending-at-exit as outside a storm.
 */
import { captureUnbudgeted, Top, type Capture } from './frames';
import type { Rec } from './records';
import { bareName, siteFunction } from './sites';

/**
 * Scouts per flush window: SCOUTS_MAX, halved after each window whose scouts were spent without finding a
 * function never seen before (down to 1: a steady server's storm of the same handler costs one capture a
 * window), back to SCOUTS_MAX when one is found.
 */
const SCOUTS_MAX = 8;
/** At most this many functions found (and captured) per flush window. */
const FINDS_PER_FLUSH = 32;
const AWAIT_TRIES = 4;
/** Functions found over the run, for "never seen before" (bounded: past it, none is new). */
const EVER_SEEN_MAX = 10_000;

/** Read inline by the storm hook: `left` scouts this window; `awaiting`: a found function whose await line is wanted. */
export const scouts = { left: SCOUTS_MAX, finds: FINDS_PER_FLUSH, awaiting: null as Rec | null, tries: 0 };
/** The functions found this window, and ever, by the site of their first line. */
const seen = new Set<number>();
const everSeen = new Set<number>();
let perWindow = SCOUTS_MAX;
/** This window found a function never seen before; the last one found was. */
let foundNew = false;
let lastNew = false;

/** At each flush. */
export function refillScouts(): void {
  if (foundNew) perWindow = SCOUTS_MAX;
  else if (scouts.left < perWindow) perWindow = Math.max(1, perWindow >> 1);
  foundNew = false;
  scouts.left = perWindow;
  scouts.finds = FINDS_PER_FLUSH;
  scouts.awaiting = null;
  seen.clear();
}

/**
 * A root promise in a storm (`scouts.left > 0`): its capture when it is the own promise of a program's async
 * function not seen yet in this window, else null.
 */
export function scoutRoot(skip: Function): Capture | null {
  scouts.left--;
  const cap = captureUnbudgeted(skip);
  if (cap === null || cap.top !== Top.User || cap.midFunction || cap.byLoader || cap.foreign || cap.topSite === null) return null;
  if (scouts.finds === 0 || seen.has(cap.topSite)) return null;
  seen.add(cap.topSite);
  lastNew = everSeen.size < EVER_SEEN_MAX && !everSeen.has(cap.topSite);
  if (lastNew) {
    everSeen.add(cap.topSite);
    foundNew = true;
  }
  scouts.finds--;
  if (lastNew) scouts.left++; // found again (a steady storm's handler): recorded, but the scout is spent
  return cap;
}

/**
 * The record made for a found function: when it was seen for the first time, its next promises are looked at
 * for what it awaits and where (a steady storm's handler, found again in each window, costs no more captures).
 */
export function watchAwait(r: Rec): void {
  if (!lastNew) return;
  scouts.awaiting = r;
  scouts.tries = AWAIT_TRIES;
}

/** A promise with a parent while `scouts.awaiting` is set: the await's capture when it is that function's. */
export function scoutAwait(skip: Function): Capture | null {
  const r = scouts.awaiting as Rec;
  const cap = tryCapture(skip);
  if (cap === null || cap.top !== Top.User || cap.topFn !== r.name) return null;
  scouts.awaiting = null;
  return cap;
}

/**
 * A root promise while `scouts.awaiting` is set: its capture when that function made it (a builtin's promise
 * with the function among its first frames, or an async function the program's code it called directly).
 */
export function scoutMadeBy(skip: Function): Capture | null {
  const fn = bareName((scouts.awaiting as Rec).name);
  const cap = tryCapture(skip);
  if (cap === null || cap.byLoader || cap.stack.length === 0) return null;
  if (cap.top === Top.Builtin) return cap.stack.slice(0, 3).some((site) => bareName(siteFunction(site)) === fn) ? cap : null;
  if (cap.top !== Top.User || cap.midFunction || cap.foreign || cap.callerSite === null) return null;
  return bareName(siteFunction(cap.callerSite)) === fn ? cap : null;
}

function tryCapture(skip: Function): Capture | null {
  if (--scouts.tries <= 0) scouts.awaiting = null;
  return captureUnbudgeted(skip);
}
