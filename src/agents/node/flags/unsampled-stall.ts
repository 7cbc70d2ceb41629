/**
 * blocking-call without a sample (blocking-calls.ts). The writer thread samples a stalled loop once its beat is
 * ¾ of the threshold old; on a loaded machine that thread may not get the CPU before the stall ends (seen at
 * load 10+: the busy callback over, then the sample taken in Node's code, or never). The loop can still tell,
 * once the callback returned, that it held the loop, from what it measures anyway — nothing is added per step:
 * - a resume of an async function (or a `.then()` callback) the promise hooks timed over the threshold
 *   (promises.ts sends it as a running slice): that task held the loop;
 * - else, the loop was busy (not waiting for I/O: libuv's idle time, read once per beat) for more than the
 *   threshold, and exactly one program callback the agent runs ended meanwhile (a timer's, a callback API's:
 *   RecordBit.CallsBack): that one. Not a promise API's end (timers/promises, fs.promises): the code it resumes
 *   runs later, as a resume timed above.
 * Anything else (no such step, several callbacks, an idle loop whose timer was late) stays unflagged: the
 * gap alone does not say which code held the loop, and a flag never points at a line it cannot vouch for.
 * The flag then points at the task's creation line (where the async function was called, the timer set), and
 * its message says the line running could not be sampled.
 */
import type { Publisher } from '../publisher';
import type { Rec } from '../records';

/** The task a stall in (from, to] belongs to, or null. `busyMs`: the part of the gap the loop was not idle. */
export function unsampledStallTask(publisher: Publisher, from: number, to: number, busyMs: number, thresholdMs: number): Rec | null {
  const step = publisher.lastStep;
  if (step !== null && step.dur > thresholdMs && step.t + step.dur > from && step.t + step.dur <= to) return step.task;
  if (busyMs <= thresholdMs) return null;
  const ended = publisher.callbacksEndedIn(from, to);
  return ended.length === 1 ? ended[0] : null;
}

export const UNSAMPLED_NOTE = 'The line running could not be sampled in time (a busy machine kept the sampler off the CPU): located where that task was created.';
