/**
 * The records the promise hooks make for the program's promises (promises.ts in full mode, storm-mode.ts for
 * the scouts' finds): an async function's own promise, a builtin's (`new Promise`, `Promise.all` ...), an
 * `import()`, and what a record awaits now.
 */
import { clock } from './clock';
import type { Capture } from './frames';
import type { Publisher } from './publisher';
import { newId, Rec, RecordBit, recordOf } from './records';

type Tracked = Promise<unknown>;

let publisher: Publisher;
export function setRecordsPublisher(pub: Publisher): void {
  publisher = pub;
}

/** A builtin's promise (`new Promise`, `Promise.all` ...), at the line that called it, published. */
export function builtinRecord(o: Rec | null, cap: Capture): Rec {
  const r = new Rec(newId(), 'promise', builtinName(cap.topFn), o, null, 0, clock.coarse);
  r.site = cap.callerSite;
  if (cap.stack.length > 1) r.more.stack = cap.stack;
  publisher.add(r);
  return r;
}

/** An async function's own promise (the top frame is the function, on its first line), published. */
export function asyncFnRecord(o: Rec | null, cap: Capture): Rec {
  const r = new Rec(newId(), 'promise', cap.topFn, o, null, RecordBit.AsyncFn, clock.coarse);
  r.site = cap.callerSite ?? cap.topSite;
  if (cap.stack.length > 2) r.more.stack = cap.stack.slice(1);
  publisher.add(r);
  return r;
}

/** `import()`'s promise: made by V8 in the running function (not its own promise, never a suspect). */
export function dynamicImport(o: Rec | null, cap: Capture): Rec {
  const r = new Rec(newId(), 'promise', 'import()', o, null, 0, clock.coarse);
  r.site = cap.topSite;
  if (cap.stack.length > 1) r.more.stack = cap.stack;
  publisher.add(r);
  return r;
}

/** The record of a promise, when it has one of its own (not Node's, not a storm's count). */
export function sampledRecord(promise: Tracked): Rec | null {
  const target = recordOf(promise);
  return target === undefined || (target.flags & (RecordBit.Internal | RecordBit.Unsampled)) !== 0 ? null : target;
}

export function setAwait(r: Rec, on: Rec | null, site: number | null): void {
  if ((r.flags & RecordBit.Internal) !== 0) return;
  const more = r.more;
  if (on === null && r.awaitOn === null && more.awaitSite === site) return; // storms: nothing new to say
  r.awaitOn = on === null ? null : [on];
  more.awaitSite = site;
  more.awaitT = clock.coarse;
  r.awaitVer++;
  publisher.touch(r);
}

export function addAwait(r: Rec, on: Rec | null): void {
  if (on === null) return;
  if (r.awaitOn === null) r.awaitOn = [on];
  else r.awaitOn.push(on);
  r.more.awaitT = clock.coarse;
  r.awaitVer++;
  publisher.touch(r);
}

function builtinName(fn: string): string {
  return fn === 'Promise' ? 'new Promise' : `Promise.${fn}`;
}
