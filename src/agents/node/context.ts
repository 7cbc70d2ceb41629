/**
 * Who is running now, for "who started whom" and "who awaits whom". promiseHooks only give a promise's
 * parent promise, so the agent keeps:
 * - `current`: the task whose continuation runs (set around each promise reaction by before/after, and
 *   around each resource callback);
 * - `seg`: async functions entered in the current synchronous stretch (an async function runs
 *   synchronously until its first await, inside its caller's stretch). An entry leaves the stack when the
 *   function suspends (its await's throwaway promise is made) or returns (its promise settles).
 */
import type { Rec } from './records';

export const ctx = {
  current: null as Rec | null,
  seg: [] as Rec[],
};

/** The task that is creating things right now. */
export function owner(): Rec | null {
  const seg = ctx.seg;
  return seg.length !== 0 ? seg[seg.length - 1] : ctx.current;
}

export function popIfTop(r: Rec): void {
  const seg = ctx.seg;
  if (seg.length !== 0 && seg[seg.length - 1] === r) seg.pop();
}

/**
 * Enters a continuation or callback of `r` (null = untracked); returns what to restore on leaving.
 * Promise reactions do not nest (the microtask queue runs them one after the other), so the promise hooks
 * leave to null without keeping a stack: one less array push per promise.
 */
export function enter(r: Rec | null): Rec | null {
  const previous = ctx.current;
  ctx.current = r;
  if (ctx.seg.length !== 0) ctx.seg.length = 0;
  return previous;
}

export function leave(previous: Rec | null): void {
  ctx.current = previous;
  if (ctx.seg.length !== 0) ctx.seg.length = 0;
}

/** Depth of Node API calls whose promises are named by the API (fs.promises ...), see resources/promise-apis. */
export const api = { depth: 0 };
