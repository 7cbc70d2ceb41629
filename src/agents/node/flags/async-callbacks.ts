/**
 * never-awaited, async callbacks handed to synchronous iteration: `items.forEach(async (x) => ...)`, an async
 * predicate of filter/some/every/find/findIndex (a promise is always truthy), and `items.map(async ...)`
 * whose promises nothing awaits or combines. The builtin calls the async function back (frames.ts
 * `calledBackBy`: the frame below the builtin is the program's), so the never-awaited suspects of
 * never-awaited.ts (started by the program's own code) never see them.
 *
 * One flag per call site (a loop of a thousand items is one mistake), located at the call that passed the
 * callback (the callback's promise's caller site). forEach and the predicates are flagged at the next check:
 * the builtin drops the promise (or reads it as `true`), nothing can await it later. A map's promises are
 * returned: they are grouped by call site and flagged only when none of them was consumed after the grace
 * period (`await Promise.all(items.map(...))` consumes every one), retracted if one is consumed later.
 * Emitter listeners and framework handlers are called by Node's or the framework's code, not by an array
 * builtin: never here. Calls inside node_modules or written `void items.forEach(...)` are left alone.
 */
import { clock } from '../clock';
import type { Publisher } from '../publisher';
import { RecordBit, type Rec } from '../records';
import { textBefore } from '../sites';
import { GRACE_MS, onPurposeOrNotOurs, suspicion } from './never-awaited';

type Dropped = 'forEach' | 'filter' | 'some' | 'every' | 'find' | 'findIndex' | 'findLast' | 'findLastIndex';
const DROPPED: ReadonlySet<string> = new Set<Dropped>(['forEach', 'filter', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex']);
const RETURNED: ReadonlySet<string> = new Set(['map', 'flatMap']);

/** Bounded memory: callbacks beyond these are not kept (the first ones decide). */
const MAX_WAITING = 10_000;
const MAX_MEMBERS = 1_000;

interface MapGroup { site: number; method: string; first: Rec; members: Rec[]; t0: number }

let dropped: { r: Rec; method: Dropped }[] = [];
const groups = new Map<number, MapGroup>();
const flaggedGroups: MapGroup[] = [];
/** Call sites already flagged: said once. */
const flaggedSites = new Set<number>();

/** The promise `r` of an async callback that the array builtin `method` called. */
export function calledBack(r: Rec, method: string): void {
  const site = r.site;
  if (site === null || flaggedSites.has(site)) return;
  if (DROPPED.has(method)) {
    if (dropped.length < MAX_WAITING) dropped.push({ r, method: method as Dropped });
    return;
  }
  if (!RETURNED.has(method)) return;
  r.flags |= RecordBit.Suspect; // promises.ts then marks it Consumed when anything reacts to it
  const group = groups.get(site);
  if (group === undefined) {
    if (groups.size < MAX_WAITING) suspicion.groups = groups.set(site, { site, method, first: r, members: [r], t0: r.t0 }).size;
  } else if (group.members.length < MAX_MEMBERS) group.members.push(r);
}

/** At each flush (and at exit with `final`). */
export function checkCallbacks(publisher: Publisher, final: boolean): void {
  if (dropped.length !== 0) {
    for (const { r, method } of dropped) {
      const site = r.site as number;
      if (flaggedSites.has(site) || onPurposeOrNotOurs(site)) continue;
      flaggedSites.add(site);
      flag(publisher, r, site, droppedMessage(method, receiver(site)));
    }
    dropped = [];
  }
  if (groups.size !== 0) checkGroups(publisher, final);
  suspicion.groups = groups.size + flaggedGroups.length;
  for (let i = flaggedGroups.length - 1; i >= 0; i--) {
    const g = flaggedGroups[i];
    if (!anyConsumed(g)) continue;
    publisher.note({ e: 'retract', key: keyOf(g.site) });
    flaggedGroups.splice(i, 1);
    flaggedSites.delete(g.site);
  }
}

function checkGroups(publisher: Publisher, final: boolean): void {
  const now = clock.now();
  for (const [site, g] of groups) {
    if (!final && now - g.t0 < GRACE_MS) continue;
    groups.delete(site);
    if (anyConsumed(g) || flaggedSites.has(site) || onPurposeOrNotOurs(site)) continue;
    flaggedSites.add(site);
    flaggedGroups.push(g);
    const on = receiver(site);
    flag(publisher, g.first, site,
      `The promises returned by the async callback of ${on}.${g.method}() are never awaited: the code after it goes on before any of them finished, and their errors are lost. ` +
      `Await them together (await Promise.all(${on}.${g.method}(...))) or use for…of with await.`);
  }
}

function anyConsumed(g: MapGroup): boolean {
  return g.members.some((m) => (m.flags & RecordBit.Consumed) !== 0);
}

function flag(publisher: Publisher, r: Rec, site: number, message: string): void {
  publisher.note({
    e: 'finding', kind: 'never-awaited', t: clock.now(), site, key: keyOf(site), message,
    ...(r.more.stack !== null ? { stack: r.more.stack } : {}),
  }, r);
}

const FIX = 'Use for…of with await (one at a time), or await Promise.all(';

function droppedMessage(method: Dropped, on: string): string {
  switch (method) {
    case 'forEach':
      return `${on}.forEach() was given an async callback: forEach does not wait for the promises it returns, so the code after it goes on before any of them finished, and their errors are lost. ${FIX}${on}.map(...)).`;
    case 'filter':
    case 'some':
    case 'every':
    case 'find':
    case 'findIndex':
    case 'findLast':
    case 'findLastIndex':
      return `${on}.${method}() was given an async predicate: it returns a promise, which is always truthy, so ${method}() ${PREDICATE_RESULT[method]}; nothing waits for the promises and their errors are lost. ` +
        `Compute the answers first (const ok = await Promise.all(${on}.map(...))), then ${method} on them, or use for…of with await.`;
  }
}

const PREDICATE_RESULT: Record<Exclude<Dropped, 'forEach'>, string> = {
  filter: 'keeps every element',
  some: 'is true for any non-empty array',
  every: 'is always true',
  find: 'returns the first element',
  findIndex: 'returns 0',
  findLast: 'returns the last element',
  findLastIndex: 'returns the last index',
};

/** `users.forEach(` → `users`; `this.items.map(` → `this.items`; else `array`. */
function receiver(site: number): string {
  const m = /([\w$]+(?:\.[\w$]+)*)\s*\.\s*$/.exec(textBefore(site));
  return m === null ? 'array' : m[1];
}

function keyOf(site: number): string {
  return `never-awaited:callback:${site}`;
}
