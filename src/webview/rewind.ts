/**
 * The session as it was at an earlier moment, rebuilt from the times every task record carries: tasks
 * created after `t` do not exist yet, a task that ended after `t` was still alive (running inside one of
 * its recorded running slices, queued before its first run, pending otherwise), and flags raised after
 * `t` were not raised yet. Records that did not change are reused, so scrubbing over 100k tasks is cheap.
 */
import type { TaskState } from '../protocol/events';
import type { Counts, FlagView, TaskView } from '../model/types';
import { emptyCounts } from './store';

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

export interface Moment {
  tasks: Map<string, TaskView>;
  flags: FlagView[];
  counts: Counts;
}

/** Records already rewound, per record and time (the last scrub position is asked for over and over). */
const cache = new WeakMap<TaskView, { at: number; view: TaskView }>();

function rewound(task: TaskView, state: TaskState, at: number): TaskView {
  const hit = cache.get(task);
  if (hit && hit.at === at) return hit.view;
  const ended = task.endedAt !== undefined && task.endedAt <= at;
  // What it awaited and who awaited it are known only for now; the past view keeps the links of live
  // tasks (they show what it went on to wait for) and drops those of tasks that had not ended.
  const view: TaskView = {
    ...task, state,
    endedAt: ended ? task.endedAt : undefined,
    startedAt: task.startedAt !== undefined && task.startedAt <= at ? task.startedAt : undefined,
    result: ended ? task.result : undefined,
    error: ended ? task.error : undefined,
    awaitAt: ended ? task.awaitAt : undefined,
  };
  cache.set(task, { at, view });
  return view;
}

export function momentAt(tasks: ReadonlyMap<string, TaskView>, flags: Iterable<FlagView>, at: number): Moment {
  const out = new Map<string, TaskView>();
  const counts = emptyCounts();
  for (const task of tasks.values()) {
    const state = stateAt(task, at);
    if (state === undefined) continue;
    counts[state]++;
    const same = state === task.state && (task.endedAt === undefined || task.endedAt <= at)
      && (task.startedAt === undefined || task.startedAt <= at);
    out.set(task.id, same ? task : rewound(task, state, at));
  }
  const shownFlags: FlagView[] = [];
  for (const f of flags) if (f.t <= at) shownFlags.push(f);
  return { tasks: out, flags: shownFlags, counts };
}
