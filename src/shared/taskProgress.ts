/**
 * A held task updated by a delta's progress entry (pure): its identity fields as held, everything else
 * as the entry says (absent = absent now), the running slices appended after `stepsFrom`.
 */
import { MAX_STEPS_PER_TASK } from '../model/records';
import type { TaskProgress, TaskView } from '../model/types';

export function withProgress(held: TaskView, p: TaskProgress): TaskView {
  const t: TaskView = {
    id: held.id,
    name: p.name,
    kind: held.kind,
    state: p.state,
    parent: held.parent,
    awaiting: p.awaiting,
    awaitedBy: p.awaitedBy,
    created: held.created,
    createdAt: held.createdAt,
  };
  if (held.stack !== undefined) t.stack = held.stack;
  if (held.loop !== undefined) t.loop = held.loop;
  if (p.awaitAt !== undefined) t.awaitAt = p.awaitAt;
  if (p.awaitSince !== undefined) t.awaitSince = p.awaitSince;
  if (p.thread !== undefined) t.thread = p.thread;
  if (p.startedAt !== undefined) t.startedAt = p.startedAt;
  if (p.endedAt !== undefined) t.endedAt = p.endedAt;
  if (p.runMs !== undefined) t.runMs = p.runMs;
  if (p.error !== undefined) t.error = p.error;
  if (p.result !== undefined) t.result = p.result;
  const steps = p.stepsFrom === undefined ? p.steps : appendSteps(held.steps ?? [], p.stepsFrom, p.steps ?? []);
  if (steps !== undefined) t.steps = steps;
  return t;
}

/** The first `from` held slices, then the new ones, at most MAX_STEPS_PER_TASK like the model keeps. */
function appendSteps(held: Array<[number, number]>, from: number, added: Array<[number, number]>): Array<[number, number]> {
  return held.slice(0, from).concat(added).slice(0, MAX_STEPS_PER_TASK);
}
