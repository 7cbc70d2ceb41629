/**
 * never-awaited (floating promises): an async function's promise, started by another async function
 * (called from its code, not by Node or a builtin calling back), that nothing awaited, then'd, caught or
 * passed to a combinator. Any reaction made on the promise counts as a consumer (promises.ts marks it);
 * the `await nonPromise` wrapper a function makes on its own promise does not (docs/tracer-techniques.md).
 * A call written `void f()` is fire-and-forget on purpose (the convention lint rules accept), and a call
 * inside node_modules is a dependency's business: neither is flagged.
 *
 * A verdict can't be final when the promise is made: it may be stored and awaited later. Suspects are
 * re-checked at flushes (the flush timer is unref'd) once they are older than GRACE_MS, flagged with a key,
 * and the flag is retracted if a consumer appears later. At exit every suspect left is flagged.
 */
import { clock } from '../clock';
import type { Publisher } from '../publisher';
import { RecordBit, type Rec } from '../records';
import { siteFile, textBefore } from '../sites';

export const GRACE_MS = 1000;
/** `void save();` / `void this.cache.refresh();`: the usual way to say "fire and forget on purpose". */
const VOIDED = /\bvoid\s+[\w$.\s]*$/;
/** Bounded memory: a program making suspects faster than they age is a storm; later ones are dropped. */
const MAX_SUSPECTS = 10_000;

let suspects: Rec[] = [];
/**
 * How many suspects wait for a verdict, not consumed yet (`open`: here; `groups`: async-callbacks.ts's map
 * groups): 0 lets storms skip the check. Most suspects are awaited right away, so a busy server's storms
 * (made of the same calls, awaited) mostly skip it.
 */
export const suspicion = { open: 0, groups: 0 };

export function suspect(r: Rec): void {
  if (suspects.length >= MAX_SUSPECTS) return;
  r.flags |= RecordBit.Suspect;
  suspects.push(r);
  suspicion.open++;
}

/** Something reacted to the promise of `r` (await, then, catch, combinator). */
export function consumed(r: Rec, publisher: Publisher): void {
  const flags = r.flags;
  r.flags = flags | RecordBit.Consumed;
  // Still in the list (not flagged yet, not consumed before): one less waiting for a verdict.
  if ((flags & (RecordBit.Consumed | RecordBit.Flagged)) === 0 && suspicion.open > 0) suspicion.open--;
  if ((flags & RecordBit.Flagged) !== 0 && (flags & RecordBit.Consumed) === 0) publisher.note({ e: 'retract', key: keyOf(r) });
}

/** At each flush (and at exit with `final`): flags suspects past the grace period. */
export function checkSuspects(publisher: Publisher, final: boolean): void {
  if (suspects.length === 0) return;
  const now = clock.now();
  const kept: Rec[] = [];
  for (const r of suspects) {
    if ((r.flags & RecordBit.Consumed) !== 0 || (r.site !== null && onPurposeOrNotOurs(r.site))) continue;
    if (!final && now - r.t0 < GRACE_MS) {
      kept.push(r);
      continue;
    }
    r.flags |= RecordBit.Flagged;
    const name = r.name ?? 'async function';
    publisher.note({
      e: 'finding', kind: 'never-awaited', t: now, site: r.site, key: keyOf(r),
      message: `The promise returned by ${name}() is never awaited: nothing waits for it to finish and its errors are lost.`,
      ...(r.more.stack !== null ? { stack: r.more.stack } : {}),
    }, r);
  }
  suspects = kept;
  suspicion.open = kept.length;
}

/** `void f()` is on purpose; a call inside a dependency is not the program's to fix. */
export function onPurposeOrNotOurs(site: number): boolean {
  return /[\\/]node_modules[\\/]/.test(siteFile(site) ?? '') || VOIDED.test(textBefore(site));
}

function keyOf(r: Rec): string {
  return `never-awaited:${r.id}`;
}
