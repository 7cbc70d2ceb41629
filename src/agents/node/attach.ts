/**
 * Attached to a running program (`async-inspector attach PID`): the inspector loads this bundle through the
 * program's inspector with ASYNC_INSPECTOR_ATTACH set, then hands over the promises that were pending before
 * (found in the heap with Runtime.queryObjects). They get a record each, marked found at attach: V8 tells
 * nothing of where such a promise was made, so they have no site and no parent; they end like any other
 * record when they settle (the settle hook sees every promise).
 */
import { inspect } from 'node:util';
import { clock } from './clock';
import type { Publisher } from './publisher';
import { shielded } from './guard';
import { newId, Rec, recordOf, setRecord } from './records';

let target: Publisher | undefined;
/** Taken before the agent patches the timers: adopting in slices must not trace itself. */
const nextTurn = setImmediate;
/** Promises looked at per turn of the loop: the program runs between slices (10k promises: ~20 slices). */
const SLICE = 500;

const MARK = Symbol.for('async-inspector.attached');

/** While attached, the program carries a mark so a second inspector is told it is already traced. */
export function setAttachPublisher(publisher: Publisher | undefined): void {
  target = publisher;
  const g = globalThis as { [MARK]?: boolean };
  if (publisher) g[MARK] = true;
  else delete g[MARK];
}

/**
 * Records the still-pending ones of `promises` (taken from the heap before the agent started), a slice per turn
 * of the event loop so the program is never held for long; returns how many there are to look at.
 */
export function adoptPending(promises: unknown): number {
  if (target === undefined || !Array.isArray(promises)) return 0;
  const list = promises.slice();
  const t = clock.now();
  const slice = (from: number): void => {
    const publisher = target;
    if (publisher === undefined) return; // detached meanwhile
    for (let i = from; i < Math.min(from + SLICE, list.length); i++) {
      const p: unknown = list[i];
      list[i] = undefined;
      if (!(p instanceof Promise) || recordOf(p) !== undefined) continue;
      if (!inspect(p, { depth: 0 }).startsWith('Promise { <pending>')) continue;
      const rec = new Rec(newId(), 'promise', 'Promise', null, null, 0, t);
      rec.more.attach = 'unknown';
      setRecord(p, rec);
      publisher.add(rec);
    }
    if (from + SLICE < list.length) nextTurn(() => shielded('adopting pending promises', () => slice(from + SLICE)));
  };
  shielded('adopting pending promises', () => slice(0));
  return list.length;
}
