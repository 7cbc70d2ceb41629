/**
 * blocking-call without a sample (blocking-calls.ts). The writer thread samples a stalled loop once its beat is
 * ¾ of the threshold old; on a loaded machine that thread may not get the CPU before the stall ends (seen at
 * load 7+: the callback over, then the sample taken in the agent's or Node's code, or never). The loop can still
 * tell, once the step returned, that it held the loop when it timed that step itself, which the promise hooks
 * do anyway (nothing is added per step): a resume of an async function, or a `.then()` callback, that ran over
 * the threshold (promises.ts sends it as a running slice) is the stall. The flag then points at that task's
 * creation line (where the async function was called) and says the line running could not be sampled.
 *
 * Anything else stays unflagged without a sample: nothing times a timer's or an I/O callback (that would cost a
 * clock read per callback), and a gap of the heartbeat alone does not say which code held the loop. Under load a
 * thread waiting for the CPU counts as busy: a 15 ms Timeout callback ended in a 220 ms busy gap (load ~4), so
 * "the one callback that ended in the gap" would point at the wrong code.
 */
import type { Publisher } from '../publisher';
import type { Rec } from '../records';

/** The timed step that held the loop in (from, to] (its task, start and duration), or null. */
export function unsampledStall(publisher: Publisher, from: number, to: number, thresholdMs: number): { task: Rec; t: number; dur: number } | null {
  const step = publisher.lastStep;
  if (step === null || step.dur <= thresholdMs) return null;
  const end = step.t + step.dur;
  return end > from && end <= to ? step : null;
}

export const UNSAMPLED_NOTE = 'The line running could not be sampled in time (a busy machine kept the sampler off the CPU): located where that task was created.';
