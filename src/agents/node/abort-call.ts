/**
 * Who ended work through an AbortSignal: where the program called `abort()`. Node's AbortError (timers/promises,
 * fs, events.once, streams ...) is made inside the signal's abort dispatch, and its `cause` — the signal's reason,
 * a DOMException fetch rejects with directly — is made by `AbortController.abort()` itself, so the stacks of
 * both pass through that call: the program's frames right below Node's `abort` frame are the caller.
 * Read from the error's text (a rejection is only ever inspected, never touched). fetch rejects with an error
 * whose stack is undici's own: for it (and any promise API given `{ signal }`), `AbortController.prototype.abort`
 * notes its caller per signal, and the API's record keeps its signal (noteSignal). `abort(reason)` with the
 * program's own reason is read the same way; `AbortSignal.timeout()` (no abort() call) says nothing.
 */
import { guard, shielded } from './guard';
import { Rec } from './records';
import { sitesOfStackText, userStack } from './frames';
import { replace } from './resources/track';
import { siteWhere } from './sites';

/** Where abort() was called, per signal; which signal a promise API's record was given. */
const aborts = new WeakMap<object, AbortCall>();
const signals = new WeakMap<Rec, object>();

export function installAbortCalls(): void {
  if (typeof AbortController !== 'function') return;
  replace(AbortController.prototype, 'abort', (orig) => function wrapped(this: AbortController): unknown {
    if (!guard.busy) {
      shielded('abort call', () => {
        const signal = this.signal;
        if (!signal.aborted && !aborts.has(signal)) {
          const stack = userStack(wrapped);
          if (stack.length !== 0) aborts.set(signal, { stack, where: siteWhere(stack[0]) });
        }
      });
    }
    return Reflect.apply(orig, this, arguments);
  });
}

/** A promise API was called with `{ signal }` among its arguments: remember it for the record. */
export function noteSignal(r: Rec, args: ArrayLike<unknown>): void {
  for (let i = 1; i < args.length && i < 4; i++) {
    const a = args[i];
    if (typeof a !== 'object' || a === null) continue;
    const signal = (a as { signal?: unknown }).signal;
    if (typeof signal === 'object' && signal !== null) {
      signals.set(r, signal);
      return;
    }
  }
}

/** Node's `AbortController.abort` frame (node:internal/abort_controller), in any error's stack text. */
const ABORT_FRAME = /^\s+at (?:AbortController\.)?abort \(node:internal\/abort_controller[^\n]*\n/gm;

export interface AbortCall {
  /** The program's frames below abort(), innermost first (site ids). */
  stack: number[];
  /** `app.js:8 (stopIt)`. */
  where: string;
}

export function abortCallOf(text: string): AbortCall | null {
  // The error's own stack, then its cause's (inspect folds the lines the two share into "... n lines matching").
  for (const m of text.matchAll(ABORT_FRAME)) {
    const rest = text.slice((m.index ?? 0) + m[0].length);
    const end = rest.search(/^(?!\s+at )/m); // this stack only: up to the first line that is not a frame
    const stack = sitesOfStackText(end < 0 ? rest : rest.slice(0, end));
    if (stack.length !== 0) return { stack, where: siteWhere(stack[0]) };
  }
  return null;
}

/** The ended work's error, saying where abort() was called when its text (or the record's signal) tells. */
export function withAbortCall(error: { type: string; message: string }, text: string, r: Rec | null = null): { type: string; message: string; stack?: number[] } {
  let call = abortCallOf(text);
  if (call === null && r !== null) {
    const signal = signals.get(r);
    call = signal === undefined ? null : (aborts.get(signal) ?? null);
  }
  if (call === null) return error;
  return { type: error.type, message: `${error.message} — abort() was called at ${call.where}`, stack: call.stack };
}

/** An error's own stack and its cause's, as text (nothing here may throw: the values are the program's). */
export function stackTexts(error: unknown): string {
  try {
    if (typeof error !== 'object' || error === null) return '';
    const own = (error as { stack?: unknown }).stack;
    const cause = (error as { cause?: { stack?: unknown } }).cause;
    return `${typeof own === 'string' ? own : ''}\n${typeof cause?.stack === 'string' ? cause.stack : ''}`;
  } catch {
    return '';
  }
}
