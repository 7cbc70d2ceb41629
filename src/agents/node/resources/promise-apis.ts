/**
 * Node APIs that return promises (fs.promises.*, timers/promises.*, dns.promises.*, fetch): the returned
 * promise is named by the API, and the promises Node makes inside the call are internal (never shown).
 */
import { noteSignal } from '../abort-call';
import { guard, shielded } from '../guard';
import { api } from '../context';
import { countedInStorm } from '../storm-mode';
import { setRecord } from '../records';
import type { TaskKind } from '../../../protocol/events';
import { replace, startResource } from './track';

export function wrapPromiseApis(obj: object | undefined, prefix: string, kind: TaskKind, names?: string[]): void {
  if (!obj) return;
  const keys = names ?? Object.keys(obj).filter((k) => typeof (obj as Record<string, unknown>)[k] === 'function');
  for (const name of keys) {
    if (name === 'constructor' || /^[A-Z]/.test(name)) continue;
    wrapPromiseApi(obj, name, `${prefix}.${name}`, kind);
  }
}

/** Names one call from its arguments: what the panel shows, and the family rollups group it under. */
export type CallNamer = (args: IArguments) => { name: string; family: string };

/** Wraps one promise-returning function: named `label`, or by `namer` when given. */
export function wrapPromiseApi(obj: object, key: string, label: string, kind: TaskKind, namer?: CallNamer): void {
  replace(obj, key, (orig) => {
    const wrapped = function (this: unknown): unknown {
      if (guard.busy) return Reflect.apply(orig, this, arguments);
      api.depth++;
      let result: unknown;
      try {
        result = Reflect.apply(orig, this, arguments);
      } finally {
        api.depth--;
      }
      if (result instanceof Promise && Object.getPrototypeOf(result) === Promise.prototype) {
        if (namer === undefined && countedInStorm(kind, label)) return result;
        shielded(label, () => {
          const named = namer?.(arguments);
          const rec = startResource(kind, named?.name ?? label, wrapped, 0, named?.family ?? null);
          if (rec) {
            setRecord(result, rec);
            noteSignal(rec, arguments);
          }
        });
      }
      return result;
    };
    return wrapped;
  });
}
