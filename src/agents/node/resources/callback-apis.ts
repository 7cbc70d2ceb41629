/**
 * Node's callback APIs (fs, dns, crypto, zlib): the call starts a record named by the API, the callback ends
 * it (failed with the error it was given) and runs as it, so what the callback starts is its child. Called
 * without a callback (`randomBytes(n)`, `randomInt(max)`: synchronous forms) the original runs untouched.
 */
import type { TaskKind } from '../../../protocol/events';
import { guard, shielded } from '../guard';
import { State, type Rec } from '../records';
import { endResource, replace, runAs, startResource } from './track';

/**
 * What one call works on (`example.com`), from its first two arguments. Called only when the record is
 * published: the many short-lived calls that are only rolled up (under the API's name) build no string.
 */
export type Subject = (first: unknown, second: unknown) => string;

/** Whether a call is worth a record, from its first argument (default: every call with a callback). */
export type Worth = (first: unknown) => boolean;

export function wrapCallbackApis(
  obj: object, prefix: string, kind: TaskKind, names: readonly string[], subject: Subject | null = null, worth: Worth | null = null,
): void {
  for (const name of names) replace(obj, name, (orig) => wrapCallbackApi(orig, kind, `${prefix}.${name}`, subject, worth));
}

function wrapCallbackApi(orig: Function, kind: TaskKind, label: string, subject: Subject | null, worth: Worth | null): Function {
  const wrapped = function (this: unknown): unknown {
    const last = arguments.length - 1;
    const callback = arguments[last] as unknown;
    const first = arguments[0] as unknown;
    if (guard.busy || typeof callback !== 'function' || (worth !== null && !worth(first))) return Reflect.apply(orig, this, arguments);
    const second = arguments[1] as unknown;
    const rec = shielded(label, () => {
      const r = startResource(kind, label, wrapped, 0, subject === null ? null : label);
      if (r !== null && subject !== null) nameLater(r, label, subject, first, second);
      return r;
    });
    if (!rec) return Reflect.apply(orig, this, arguments);
    const args = Array.prototype.slice.call(arguments);
    args[last] = function (this: unknown, err: unknown): unknown {
      shielded(label, () => endResource(rec, err ? State.Failed : State.Done, err || undefined));
      return runAs(rec, callback as (...a: unknown[]) => unknown, this, arguments);
    };
    try {
      return Reflect.apply(orig, this, args);
    } catch (err) {
      // Bad arguments throw before any work starts: the call failed, nothing is left pending.
      shielded(label, () => endResource(rec, State.Failed, err));
      throw err;
    }
  };
  return wrapped;
}

/** Its own function so the closure holds only the two arguments (not the call's buffers and callback). */
function nameLater(rec: Rec, label: string, subject: Subject, first: unknown, second: unknown): void {
  rec.nameFn = () => `${label} ${subject(first, second)}`.slice(0, 160);
}
