/**
 * The session as it was at an earlier moment, rebuilt from the times every task record carries: tasks
 * created after `t` do not exist yet, a task that ended after `t` was still alive (running inside one of
 * its recorded running slices, queued before its first run, pending otherwise), and flags raised after
 * `t` were not raised yet. Records that did not change are reused, so scrubbing over 100k tasks is cheap.
 *
 * Await links are known only as they are now, with the time the current await began (`awaitSince`): a
 * task's links are shown at `t` only when they already held then (awaited by `t`, pending at `t`).
 * Otherwise what it awaited then is not known: the links are dropped, and a task pending at `t` is
 * marked so the details can say so. `awaitedBy` lists only the awaiters whose links are shown.
 */
import type { TaskKind, TaskState } from '../protocol/events';
import type { Counts, FlagView, TaskView } from '../model/types';
import { emptyCounts } from '../model/counts';

/** The state of `t` at session time `at`, or undefined when it did not exist yet. */
export function stateAt(task: TaskView, at: number): TaskState | undefined {
  if (task.createdAt > at) return undefined;
  if (task.endedAt !== undefined && task.endedAt <= at) return task.state;
  if (task.steps?.some(([start, dur]) => start <= at && at < start + dur)) return 'running';
  const live = task.endedAt === undefined;
  if (task.startedAt !== undefined && task.startedAt > at) return 'queued';
  // Without running slices, a task running now has been running since its first run; others were waiting.
  if (live && task.state === 'running' && !task.steps) return 'running';
  if (task.startedAt === undefined && task.state === 'queued') return 'queued';
  return 'pending';
}

/** Kinds that wait on the clock, the OS or a thread, never on other tasks: nothing unknown to say. */
const NEVER_AWAITS = new Set<TaskKind>(['timer', 'io', 'executor']);

/**
 * What is known of `task`'s await links at `at`, when it was in `state`: 'held' (its current links, or
 * none, were the same then), 'none' (it awaited nothing then) or 'unknown' (pending then, on what is not
 * recorded).
 */
type Links = 'held' | 'none' | 'unknown';

function linksAt(task: TaskView, state: TaskState, at: number): Links {
  // Ended by then: the model's links, cleared at its end.
  if (task.endedAt !== undefined && task.endedAt <= at) return 'held';
  if (state !== 'pending') return 'none';
  if (task.awaitSince !== undefined && task.awaitSince <= at) return 'held';
  // Pending then and now with nothing awaited now (nor an await time): the same as now.
  if (task.state === 'pending' && task.awaiting.length === 0 && task.awaitAt === undefined) return 'held';
  return NEVER_AWAITS.has(task.kind) ? 'none' : 'unknown';
}

/** Rewound views of tasks pending at their time whose await links then are not known. */
const unknownLinks = new WeakSet<TaskView>();

/** Whether `view` (from momentAt) was pending then, waiting on something the recorded data does not tell. */
export function awaitUnknown(view: TaskView): boolean {
  return unknownLinks.has(view);
}

/** `task.awaitedBy` narrowed to the awaiters whose links held at `at` (the same array when all did). */
function awaitedByAt(task: TaskView, tasks: ReadonlyMap<string, TaskView>, at: number): string[] {
  const by = task.awaitedBy;
  let out: string[] | undefined;
  for (let i = 0; i < by.length; i++) {
    const w = tasks.get(by[i]);
    const state = w === undefined ? undefined : stateAt(w, at);
    const held = w !== undefined && state !== undefined && linksAt(w, state, at) === 'held';
    if (held) out?.push(by[i]);
    else out ??= by.slice(0, i);
  }
  return out ?? by;
}

export interface Moment {
  tasks: Map<string, TaskView>;
  flags: FlagView[];
  counts: Counts;
}

/** Records already rewound, per record and time (the last scrub position is asked for over and over). */
const cache = new WeakMap<TaskView, { at: number; view: TaskView }>();

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a === b || (a.length === b.length && a.every((id, i) => id === b[i]));
}

/** `task` as it was at `at`. State and links follow from (task, at); awaitedBy also from other records. */
function rewound(task: TaskView, state: TaskState, at: number, awaitedBy: string[]): TaskView {
  const hit = cache.get(task);
  if (hit && hit.at === at && sameIds(hit.view.awaitedBy, awaitedBy)) return hit.view;
  const ended = task.endedAt !== undefined && task.endedAt <= at;
  const known = linksAt(task, state, at);
  const links = known === 'held';
  const view: TaskView = {
    ...task, state, awaitedBy,
    endedAt: ended ? task.endedAt : undefined,
    startedAt: task.startedAt !== undefined && task.startedAt <= at ? task.startedAt : undefined,
    result: ended ? task.result : undefined,
    error: ended ? task.error : undefined,
    awaiting: links ? task.awaiting : [],
    awaitAt: links ? task.awaitAt : undefined,
    awaitSince: links ? task.awaitSince : undefined,
  };
  if (known === 'unknown') unknownLinks.add(view);
  cache.set(task, { at, view });
  return view;
}

/** Whether the present record is also the record at `at` (nothing about it differs then). */
function unchangedAt(task: TaskView, state: TaskState, at: number, awaitedBy: string[]): boolean {
  return state === task.state && (task.endedAt === undefined || task.endedAt <= at)
    && (task.startedAt === undefined || task.startedAt <= at)
    && awaitedBy === task.awaitedBy && (state !== 'pending' || linksAt(task, state, at) === 'held');
}

export function momentAt(tasks: ReadonlyMap<string, TaskView>, flags: Iterable<FlagView>, at: number): Moment {
  const out = new Map<string, TaskView>();
  const counts = emptyCounts();
  for (const task of tasks.values()) {
    const state = stateAt(task, at);
    if (state === undefined) continue;
    counts[state]++;
    const awaitedBy = task.awaitedBy.length === 0 ? task.awaitedBy : awaitedByAt(task, tasks, at);
    out.set(task.id, unchangedAt(task, state, at, awaitedBy) ? task : rewound(task, state, at, awaitedBy));
  }
  const shownFlags: FlagView[] = [];
  for (const f of flags) if (f.t <= at) shownFlags.push(f);
  return { tasks: out, flags: shownFlags, counts };
}
