/**
 * blocking-call, main-thread side. An unref'd heartbeat timer ticks every BEAT_MS and bumps a counter in
 * the SharedArrayBuffer the writer thread watches (stall-watch.ts). When the counter stops moving, the
 * writer thread asks for a sample: through the inspector it evaluates `sampleStall` inside this thread
 * (an interrupt, so it runs in the middle of the busy callback, or right after a native call returns),
 * which keeps the user frames executing then. When the loop turns again, the heartbeat sees the gap: a gap
 * longer than the threshold with a sample in user code is one blocking callback (the duration is the gap).
 * A gap without a sample in user code (the whole machine was busy, the loop was idle) is flagged only when the
 * promise hooks timed the resume that held it (unsampled-stall.ts), at that task's creation line; none is flagged
 * while the program's own inspector is open (--inspect: a pause at a breakpoint is not a blocking call).
 * A traced worker thread runs the same here, on its own counters (the writer samples it: stall-watch.ts).
 */
import inspector = require('node:inspector');
import { clock } from '../clock';
import { userStack } from '../frames';
import { faulty, FAULTS } from '../faults';
import { shielded } from '../guard';
import { owner } from '../context';
import type { Publisher } from '../publisher';
import type { Rec } from '../records';
import { ENV } from '../../../protocol/events';
import { SLOT, STALL_SAMPLE_KEY, WALL_MASK } from '../writer-protocol';
import { UNSAMPLED_NOTE, unsampledStall } from './unsampled-stall';

export const BEAT_MS = 10;

interface Sample {
  beat: number;
  stack: number[];
  t: number;
  /** The task running when the sample was taken. */
  task: Rec | null;
}

export interface StallDetection {
  /** A debugger stopped the program now (its session evaluates the pause flush at every stop). */
  paused(): void;
  /** At exit: the callback running now may be the stall (a program that ends right after it). */
  final(): void;
  stop(): void;
}

/** `loop`: 'The event loop' of the main thread, 'The event loop of worker 2 (resize.js)' of a worker. */
export function startStallDetection(publisher: Publisher, shared: Int32Array, thresholdMs: number, loop = 'The event loop'): StallDetection {
  let last = clock.now();
  let sample: Sample | null = null;
  // Inside a debug session of Async Inspector's (js-debug / debugpy with the agent injected) every stop is
  // announced through the pause flush, so only a gap with a stop in it is skipped. Elsewhere an open inspector
  // (--inspect, Chrome DevTools) may pause unannounced: no gap is judged while it is open.
  const stopsAnnounced = process.env[ENV.session] !== undefined;
  let pausedAtBeat = -1;

  const sampleStall = (): void => {
    shielded('stall sample', () => {
      const stack = userStack(sampleStall);
      sample = { beat: Atomics.load(shared, SLOT.beat), stack: FAULTS ? faulty('stall sample', stack, () => [-1, 1e12, NaN]) : stack, t: clock.now(), task: owner() };
    });
  };
  Object.defineProperty(globalThis, Symbol.for(STALL_SAMPLE_KEY), { value: sampleStall, configurable: true });

  /**
   * The loop turned (or the program ends): was the gap since the previous beat one blocking callback?
   * At exit the writer thread may not have sampled yet (a loaded machine can keep it off the CPU for the
   * whole stall): the exit handler runs inside the stalling callback, so its own stack is a sample of it.
   */
  const judge = (atExit: boolean): void => {
    // A program (a forked child computing at top level) that exits before its loop ever turned: that was module
    // top-level code, which is not judged (as everywhere else).
    if (atExit && Atomics.load(shared, SLOT.beat) === 0) return;
    const now = clock.now();
    const gap = now - last;
    if (atExit && sample === null && gap - BEAT_MS / 2 > thresholdMs) sampleStall();
    last = now;
    const beatNo = Atomics.add(shared, SLOT.beat, 1);
    Atomics.store(shared, SLOT.beatAt, Date.now() & WALL_MASK);
    const s = sample as Sample | null;
    sample = null;
    const dur = Math.round(gap - BEAT_MS / 2);
    if (dur <= thresholdMs) return;
    if (stopsAnnounced ? pausedAtBeat === beatNo : inspector.url() !== undefined) return; // a breakpoint, not a stall
    const sampled = s !== null && s.beat === beatNo && s.stack.length !== 0 ? s : null;
    if (sampled !== null) {
      flag(sampled.task, now, dur, sampled.stack[0], sampled.stack);
      return;
    }
    // No sample in user code (the writer thread got no CPU in time): the resume the promise hooks timed, if one
    // held the loop (never in the first beat's gap: module top-level code and the agent's start).
    const step = beatNo !== 0 ? unsampledStall(publisher, now - gap, now, thresholdMs) : null;
    if (step !== null) flag(step.task, step.t + step.dur, Math.round(step.dur), step.task.site, undefined);
  };
  /** `t` is when the stall ended, `dur` how long it lasted: the stall is [t - dur, t] (src/protocol/events.ts). */
  const flag = (from: Rec | null, t: number, dur: number, site: number | null, stack: number[] | undefined): void => {
    const task = from !== null && from.id !== 0 ? from : null;
    const name = task?.name ?? task?.family;
    // An async function by its name; a resource's callback (a Timeout, a served request) as that callback.
    const where = !name ? 'by one callback' : task!.kind === 'promise' ? `in ${name}` : `in a ${name} callback`;
    const said = `${loop} was blocked for ${dur} ms ${where} (threshold ${thresholdMs} ms): nothing else could run meanwhile.`;
    publisher.note(stack !== undefined
      ? { e: 'finding', kind: 'blocking-call', t, site, stack, dur, message: said }
      : { e: 'finding', kind: 'blocking-call', t, site, dur, message: `${said} ${UNSAMPLED_NOTE}` }, task);
    // The task whose code held the loop was running for that slice (when no resume hook timed it: a timer
    // callback, the synchronous start of an async function).
    // Sent once: a stall inside a resumed async function already ended as its slice (promises.ts).
    if (task !== null && task.more.lastStepEnd < t - dur) publisher.noteStep(task, t - dur, dur);
  };
  const timer = setInterval(() => shielded('heartbeat', () => judge(false)), BEAT_MS);
  timer.unref();
  return {
    paused: () => {
      pausedAtBeat = Atomics.load(shared, SLOT.beat);
    },
    final: () => judge(true),
    stop(): void {
      clearInterval(timer);
      Reflect.deleteProperty(globalThis, Symbol.for(STALL_SAMPLE_KEY));
    },
  };
}
