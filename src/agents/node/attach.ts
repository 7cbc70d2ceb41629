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
import { newId, Rec, recordOf, setRecord } from './records';

let target: Publisher | undefined;

const MARK = Symbol.for('async-inspector.attached');

/** While attached, the program carries a mark so a second inspector is told it is already traced. */
export function setAttachPublisher(publisher: Publisher | undefined): void {
  target = publisher;
  const g = globalThis as { [MARK]?: boolean };
  if (publisher) g[MARK] = true;
  else delete g[MARK];
}

/** Records the still-pending ones of `promises` (taken from the heap before the agent started); returns how many. */
export function adoptPending(promises: unknown): number {
  if (target === undefined || !Array.isArray(promises)) return 0;
  let n = 0;
  const t = clock.now();
  for (const p of promises) {
    if (!(p instanceof Promise) || recordOf(p) !== undefined) continue;
    if (!inspect(p, { depth: 0 }).startsWith('Promise { <pending>')) continue;
    const rec = new Rec(newId(), 'promise', 'Promise', null, null, 0, t);
    rec.more.attach = 'unknown';
    setRecord(p, rec);
    target.add(rec);
    n++;
  }
  return n;
}
