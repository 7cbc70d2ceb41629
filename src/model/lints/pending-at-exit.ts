/**
 * pending-at-exit: the program ended on its own while something still awaited a task/promise that
 * could never settle. One flag per await chain (a combinator over several stuck inputs: one per input),
 * named outermost → innermost, located at the innermost await line (or the innermost promise's creation when it is not parked on an await).
 */
import type { LocatedTask as TaskView, Location } from '../types';
import type { LintContext, LintFlag, LintRule } from './types';

const isPending = (t: TaskView | undefined): t is TaskView => t !== undefined && t.state === 'pending';

/** At most this many chains from one outermost awaiter (a combinator over thousands of stuck inputs). */
const MAX_CHAINS_PER_ROOT = 50;

/**
 * Every path of `awaiting` from `start` down to a pending task that awaits nothing pending. A combinator
 * (Promise.all/allSettled/race/any, asyncio.gather/wait) awaits each of its inputs: one chain per stuck
 * input, each reading through the combinator (`main → Promise.allSettled → PromisePool.run → new Promise`).
 */
function chainsFrom(start: TaskView, ctx: LintContext): TaskView[][] {
  const out: TaskView[][] = [];
  const seen = new Set<string>();
  const walk = (path: TaskView[]): void => {
    const last = path[path.length - 1];
    seen.add(last.id);
    const next = last.awaiting.map((id) => ctx.byId.get(id)).filter((t): t is TaskView => isPending(t) && !seen.has(t.id));
    if (next.length === 0) {
      out.push(path);
      return;
    }
    for (const t of next) {
      if (out.length >= MAX_CHAINS_PER_ROOT) return;
      if (!seen.has(t.id)) walk([...path, t]);
    }
  };
  walk([start]);
  return out;
}

/** An outermost awaiter: pending, waiting on something pending, and not itself awaited by a pending task. */
function isChainRoot(t: TaskView, ctx: LintContext): boolean {
  if (!isPending(t) || !(t.awaiting.some((id) => isPending(ctx.byId.get(id))) || isParkedTask(t, ctx))) return false;
  return !t.awaitedBy.some((id) => isPending(ctx.byId.get(id)));
}

/**
 * A Python task parked at an await on something the agent does not show as a task (an Event, a Queue, a
 * bare Future) when its loop stopped for good: CPython would destroy it pending. Only loops of the main
 * thread: the program ended there, so that loop is not running; a daemon thread's loop may still be
 * serving when the program exits (its background work is not stuck). Node's awaited promises are always
 * tracked, so there the chain rule above covers it.
 */
function isParkedTask(t: TaskView, ctx: LintContext): boolean {
  if (ctx.runtime !== 'python' || t.kind !== 'task' || (t.awaitAt ?? null) === null || t.loop === undefined) return false;
  return ctx.loops.get(t.loop)?.thread === MAIN_THREAD;
}

/** Python's name for the main thread (threading.main_thread().name). */
const MAIN_THREAD = 'MainThread';

function whereStuck(t: TaskView): Location | null {
  return t.awaitAt ?? t.created;
}

/** `await new Promise(...)` creates and awaits on one line: say that line once. */
function withoutRepeats(stack: Location[]): Location[] {
  return stack.filter((l, i) => i === 0 || l.file !== stack[i - 1].file || l.line !== stack[i - 1].line);
}

/**
 * Only a program that ended on its own, successfully, ran out of work with things still awaited. A killed
 * (timeout, Ctrl-C) or crashed program was interrupted: its pending work might still have settled.
 * Node exits 13 when an ES module's top-level await never settles, which is this very case.
 */
function ranOutOfWork(ctx: LintContext): boolean {
  const { code, signal, drained } = ctx.exit;
  if (signal || drained === false) return false; // killed, or ended early by process.exit()
  return code === 0 || (code === 13 && ctx.runtime === 'node');
}

export const pendingAtExit: LintRule = {
  kind: 'pending-at-exit',
  check(ctx: LintContext): LintFlag[] {
    if (!ranOutOfWork(ctx)) return [];
    const out: LintFlag[] = [];
    // An agent may have reported some chains itself (Python, when its loop stopped): say it once.
    const reported = new Set(ctx.flags.filter((f) => f.kind === 'pending-at-exit' && f.task !== null).map((f) => f.task!));
    for (const root of ctx.tasks) {
      if (!isChainRoot(root, ctx)) continue;
      for (const chain of chainsFrom(root, ctx)) {
        const innermost = chain[chain.length - 1];
        if (chain.some((t) => reported.has(t.id))) continue;
        reported.add(innermost.id);
        out.push(flagOf(chain));
      }
    }
    return out;
  },
};

function flagOf(chain: TaskView[]): LintFlag {
  const innermost = chain[chain.length - 1];
  const innerFirst = [...chain].reverse();
  const names = chain.map((t) => t.name || `<${t.kind}>`).join(' → ');
  return {
    message: chain.length === 1
      ? `Still pending when the program exited: task '${names}' waited here and was never resumed`
      : `Still pending when the program exited: ${names} (awaited, but never settled)`,
    location: whereStuck(innermost),
    task: innermost.id,
    stack: withoutRepeats(innerFirst.map(whereStuck).filter((l): l is Location => l !== null)),
  };
}
