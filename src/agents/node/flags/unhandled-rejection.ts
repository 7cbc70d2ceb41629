/**
 * unhandled-rejection: a promise rejected and nothing handled it. Node announces it with
 * `process.emit('unhandledRejection', reason, promise)` whether or not the program listens (without a
 * listener it then raises it as an uncaught exception). Adding a listener of our own would stop that
 * crash, so the agent watches `process.emit` instead: the program's behaviour, output and exit code stay
 * Node's, and rejections the program's own listener receives are flagged too (they were still unhandled).
 * A rejection handled later ('rejectionHandled') withdraws its flag.
 */
import { clock } from '../clock';
import { errorInfo } from '../error-info';
import { sitesOfStackText } from '../frames';
import { agentError, guard, shielded } from '../guard';
import type { Publisher } from '../publisher';
import { recordOf, type Rec } from '../records';

type Emit = (this: NodeJS.Process, event: string | symbol, ...args: unknown[]) => boolean;

export function watchUnhandledRejections(publisher: Publisher): void {
  const original = process.emit as Emit;
  const watched: Emit = function (this: NodeJS.Process, event, ...args) {
    if (event === 'unhandledRejection' && !guard.busy) {
      const listened = process.listenerCount('unhandledRejection') > 0;
      shielded('unhandled rejection', () => report(publisher, args[0], args[1], listened));
    } else if (event === 'rejectionHandled' && !guard.busy) {
      // Handled after all, later (--unhandled-rejections=warn, or a listener that kept the program alive).
      const key = typeof args[0] === 'object' && args[0] !== null ? keys.get(args[0]) : undefined;
      if (key !== undefined) publisher.note({ e: 'retract', key });
    }
    return original.call(this, event, ...args);
  };
  try {
    process.emit = watched as typeof process.emit;
  } catch (err) {
    agentError('unhandled rejection watch', err);
  }
}

const keys = new WeakMap<object, string>();
let reported = 0;

function report(publisher: Publisher, reason: unknown, promise: unknown, listened: boolean): void {
  const key = `unhandled-rejection:${++reported}`;
  if (typeof promise === 'object' && promise !== null) keys.set(promise, key);
  const rec = promiseRecord(promise);
  const error = errorInfo(reason);
  const thrown = reason instanceof Error && typeof reason.stack === 'string' ? sitesOfStackText(reason.stack) : [];
  const created = rec !== null ? rec.site : null;
  const what = rec !== null && rec.name ? `The promise of ${rec.name}` : 'A promise';
  const handler = listened ? ' (the program\'s unhandledRejection listener saw it, but no code awaited or caught it)' : '';
  publisher.note({
    e: 'finding', kind: 'unhandled-rejection', t: clock.now(), key,
    site: created ?? thrown[0] ?? null,
    stack: thrown.length !== 0 ? thrown : (rec?.more.stack ?? undefined),
    error: { type: error.type, message: error.message, ...(thrown.length !== 0 ? { stack: thrown } : {}) },
    message: `${what} rejected with ${error.type}: ${error.message} and nothing handled it${handler}.`,
  }, rec);
}

function promiseRecord(promise: unknown): Rec | null {
  if (typeof promise !== 'object' || promise === null) return null;
  const r = recordOf(promise as object);
  return r !== undefined && r.id !== 0 ? r : null;
}

