/**
 * blocking-call, main-thread side. An unref'd heartbeat timer ticks every BEAT_MS and bumps a counter in
 * the SharedArrayBuffer the writer thread watches (stall-watch.ts). When the counter stops moving, the
 * writer thread asks for a sample: through the inspector it evaluates `sampleStall` inside this thread
 * (an interrupt, so it runs in the middle of the busy callback, or right after a native call returns),
 * which keeps the user frames executing then. When the loop turns again, the heartbeat sees the gap: a gap
 * longer than the threshold with a sample in user code is one blocking callback (the duration is the gap).
 * A gap without a sample in user code (the whole machine was busy, the loop was idle) is flagged only when the
 * loop itself timed the step that held it (unsampled-stall.ts), at that task's creation line; none is flagged
 * while the program's own inspector is open (--inspect: a pause at a breakpoint is not a blocking call).
 * A traced worker thread runs the same here, on its own counters (the writer samples it: stall-watch.ts).
 */
import inspector = require('node:inspector');
import { performance } from 'node:perf_hooks';
import { clock } from '../clock';
import { userStack } from '../frames';
import { faulty, FAULTS } from '../faults';
import { shielded } from '../guard';
import { owner } from '../context';
import type { Publisher } from '../publisher';
import type { Rec } from '../records';
import { ENV } from '../../../protocol/events';
import { SLOT, STALL_SAMPLE_KEY, WALL_MASK } from '../writer-protocol';
import { UNSAMPLED_NOTE, unsampledStallTask } from './unsampled-stall';

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
  // libuv's idle time (waiting for I/O), read once per beat: a gap the loop spent idle was no callback's.
  const timing = performance.nodeTiming;
  let lastIdle = timing.idleTime;
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
    const idle = timing.idleTime;
    const idleInGap = idle - lastIdle;
    lastIdle = idle;
    const dur = Math.round(gap - BEAT_MS / 2);
    if (dur <= thresholdMs) return;
    if (stopsAnnounced ? pausedAtBeat === beatNo : inspector.url() !== undefined) return; // a breakpoint, not a stall
    const sampled = s !== null && s.beat === beatNo && s.stack.length !== 0 ? s : null;
    // No sample in user code (the writer thread got no CPU in time): the step the loop timed itself, if any
    // (never the first beat's gap, module top-level code and the agent's start).
    const unsampled = sampled === null && beatNo !== 0 ? unsampledStallTask(publisher, now - gap, now, dur - idleInGap, thresholdMs) : null;
    if (sampled === null && unsampled === null) return;
    // `t` is when the stall ended, `dur` how long it lasted: the stall is [t - dur, t] (src/protocol/events.ts).
    const from = sampled !== null ? sampled.task : unsampled;
    const task = from !== null && from.id !== 0 ? from : null;
    const name = task?.name ?? task?.family;
    // An async function by its name; a resource's callback (a Timeout, a served request) as that callback.
    const where = !name ? 'by one callback' : task!.kind === 'promise' ? `in ${name}` : `in a ${name} callback`;
    const said = `${loop} was blocked for ${dur} ms ${where} (threshold ${thresholdMs} ms): nothing else could run meanwhile.`;
    publisher.note(sampled !== null
      ? { e: 'finding', kind: 'blocking-call', t: now, site: sampled.stack[0], stack: sampled.stack, dur, message: said }
      : { e: 'finding', kind: 'blocking-call', t: now, site: unsampled!.site, dur, message: `${said} ${UNSAMPLED_NOTE}` }, task);
    // The task whose code held the loop was running for that slice (when no resume hook timed it: a timer
    // callback, the synchronous start of an async function).
    // Sent once: a stall inside a resumed async function already ended as its slice (promises.ts).
    if (task !== null && task.more.lastStepEnd < now - dur) publisher.noteStep(task, now - dur, dur);
  };
  let stopped = false;
  const timer = setInterval(() => shielded('heartbeat', () => judge(false)), BEAT_MS);
  // The flush timer may come first after a stall: judged before it sends (and forgets) the records that ended
  // in it, which a stall without a sample is told by (unsampled-stall.ts). Not at a debugger stop's flush.
  publisher.beforeFlush((all) => {
    if (!all && !stopped && clock.coarse - last - BEAT_MS / 2 > thresholdMs) judge(false);
  });
  timer.unref();
  return {
    paused: () => {
      pausedAtBeat = Atomics.load(shared, SLOT.beat);
    },
    final: () => judge(true),
    stop(): void {
      stopped = true;
      clearInterval(timer);
      Reflect.deleteProperty(globalThis, Symbol.for(STALL_SAMPLE_KEY));
    },
  };
}
