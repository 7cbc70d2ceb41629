/**
 * Node APIs that return promises (fs.promises.*, timers/promises.*, dns.promises.*): the returned promise
 * is named by the API, and the promises Node makes inside the call are internal (never shown).
 */
import { guard, shielded } from '../guard';
import { api } from '../promises';
import { Flag, setRecord } from '../records';
import type { TaskKind } from '../../../protocol/events';
import { replace, startResource } from './track';

export function wrapPromiseApis(obj: object | undefined, prefix: string, kind: TaskKind, names?: string[]): void {
  if (!obj) return;
  const keys = names ?? Object.keys(obj).filter((k) => typeof (obj as Record<string, unknown>)[k] === 'function');
  for (const name of keys) {
    if (name === 'constructor' || /^[A-Z]/.test(name)) continue;
    replace(obj, name, (orig) => {
      const label = `${prefix}.${name}`;
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
          shielded(label, () => {
            const rec = startResource(kind, label, wrapped, Flag.Opaque);
            if (rec) setRecord(result, rec);
          });
        }
        return result;
      };
      return wrapped;
    });
  }
}
