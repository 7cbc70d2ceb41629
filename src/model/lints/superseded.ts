/**
 * Live rule: one mistake, one flag. Some mistakes also trip a generic detector — the coroutine that
 * asyncio.run() refused is also "never awaited"; the task that called result() too early also failed with
 * an exception nobody retrieved; the async call nobody awaited also rejected unhandled and crashed the program.
 * The specific flag explains it; the generic one would only repeat it.
 */
import type { FlagKind } from '../../protocol/events';
import type { FlagView } from '../types';

type Flag = Omit<FlagView, 'id'>;

export interface SupersedingRule {
  /** The flag that explains the mistake. */
  specific: FlagKind;
  /** The flag it makes redundant. */
  generic: FlagKind;
  /** Whether the two flags are about the same thing. */
  same(specific: Flag, generic: Flag): boolean;
}

const sameLine = (a: Flag, b: Flag) =>
  a.location !== null && b.location !== null && a.location.file === b.location.file && a.location.line === b.location.line;
const sameTask = (a: Flag, b: Flag) => a.task !== null && a.task === b.task;

export const SUPERSEDING_RULES: readonly SupersedingRule[] = [
  // asyncio.run(coro()) inside a running loop raises before it awaits coro(): CPython then warns that coro was never awaited.
  { specific: 'asyncio-run-in-loop', generic: 'never-awaited', same: sameLine },
  // task.result() too early raises InvalidStateError in the calling task; if nobody awaits that task, asyncio reports it too.
  { specific: 'result-before-done', generic: 'exception-never-retrieved', same: sameTask },
  // Node: `loadConfig()` without await rejects; the unhandled rejection (it crashed the program) says more.
  { specific: 'unhandled-rejection', generic: 'never-awaited', same: sameTask },
];

/** Whether `incoming` only repeats a flag already raised. */
export function isSuperseded(incoming: Flag, raised: Iterable<Flag>): boolean {
  const rules = SUPERSEDING_RULES.filter((r) => r.generic === incoming.kind);
  if (rules.length === 0) return false;
  for (const flag of raised) if (rules.some((r) => r.specific === flag.kind && r.same(flag, incoming))) return true;
  return false;
}

/** The raised flags that `incoming` makes redundant (it arrived after them). */
export function supersededBy<F extends Flag>(incoming: Flag, raised: Iterable<F>): F[] {
  const rules = SUPERSEDING_RULES.filter((r) => r.specific === incoming.kind);
  if (rules.length === 0) return [];
  return [...raised].filter((flag) => rules.some((r) => r.generic === flag.kind && r.same(incoming, flag)));
}

/** Kinds a rule can supersede with: the store keeps these at hand, as they are few. */
export const SPECIFIC_KINDS: ReadonlySet<string> = new Set(SUPERSEDING_RULES.map((r) => r.specific));
