/**
 * Timers: the public setTimeout / setInterval / setImmediate (global and `timers` module) are wrapped.
 * async_hooks would see them too, but any async_hooks init hook turns on V8's promise tracking (3.65× on
 * 1M awaits); wrapping the public functions costs nothing for programs that do not use them.
 */
import timers = require('node:timers');
import { guard, shielded } from '../guard';
import { recordOf, setRecord, State } from '../records';
import { endResource, replace, runAs, startResource, type Handle } from './track';

type TimerKind = 'Timeout' | 'Interval' | 'Immediate';
const SETTERS: [string, TimerKind][] = [['setTimeout', 'Timeout'], ['setInterval', 'Interval'], ['setImmediate', 'Immediate']];
const CLEARERS: [string, State.Done | State.Cancelled][] = [
  ['clearTimeout', State.Cancelled], ['clearInterval', State.Done], ['clearImmediate', State.Cancelled],
];

export function installTimers(): void {
  const targets = [globalThis as object, timers as object];
  for (const [fn, kind] of SETTERS) for (const t of targets) replace(t, fn, (orig) => wrapSetter(orig, kind));
  for (const [fn, state] of CLEARERS) for (const t of targets) replace(t, fn, (orig) => wrapClearer(orig, state));
}

function wrapSetter(orig: Function, kind: TimerKind): Function {
  const repeat = kind === 'Interval';
  const wrapped = function (this: unknown, callback: unknown, ...rest: unknown[]): unknown {
    if (guard.busy || typeof callback !== 'function') return orig.call(this, callback, ...rest);
    const rec = shielded('timer', () => startResource('timer', kind, wrapped));
    if (!rec) return orig.call(this, callback, ...rest);
    const run = function (this: unknown): unknown {
      let ok = false;
      try {
        const value = runAs(rec, callback as (...a: unknown[]) => unknown, this, arguments);
        ok = true;
        return value;
      } finally {
        if (!repeat || !ok) shielded('timer end', () => endResource(rec, ok ? State.Done : State.Failed));
      }
    };
    const handle = orig.call(this, run, ...rest) as Handle;
    if (handle && typeof handle === 'object') setRecord(handle, rec);
    return handle;
  };
  return wrapped;
}

function wrapClearer(orig: Function, state: State.Done | State.Cancelled): Function {
  return function (this: unknown, handle: unknown): unknown {
    const rec = handle && typeof handle === 'object' ? recordOf(handle) : undefined;
    if (rec && !guard.busy) shielded('clear timer', () => endResource(rec, state));
    return orig.call(this, handle);
  };
}
