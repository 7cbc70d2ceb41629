/** Tasks per state: the one constructor of an all-zero count (model, store, views, saved sessions). */
import { TASK_STATES, type TaskState } from '../protocol/events';

export type Counts = Record<TaskState, number>;

export function emptyCounts(): Counts {
  const counts = {} as Counts;
  for (const state of TASK_STATES) counts[state] = 0;
  return counts;
}
