/**
 * blocking-call, writer-thread side (runs in dist/agent-node-writer.js). Watches the main thread's
 * heartbeat counter; when it has not moved for `sampleMs`, asks the main thread for one stack sample by
 * evaluating the agent's sampler there through an inspector session (connectToMainThread +
 * Runtime.evaluate, which V8 runs through an interrupt inside the busy thread). The session is connected
 * only for that sample and disconnected right after (a connected session slows the program ~1.1×, and one
 * still connected at exit makes Node wait for the debugger). Never Debugger.enable.
 *
 * Worker threads (watchWorkerStalls): each traced worker beats in its own counters (the state it hands the
 * hub, writer-hub.ts). A stale one is sampled through the same kind of session to the main thread, with
 * the NodeWorker domain: `NodeWorker.enable` attaches to the main thread's workers, and
 * `NodeWorker.sendMessageToWorker` evaluates the sampler inside the busy worker (an interrupt there too;
 * the main thread only relays, busy or idle). Disconnected once the worker answered (or after
 * WORKER_SAMPLE_GIVE_UP_MS), which detaches from the workers. Only the main thread's own workers: a nested
 * worker is not reached.
 */
import { Session } from 'node:inspector';
import { SLOT, STALL_SAMPLE_KEY } from './writer-protocol';

const WATCH_MS = 10;

export interface StallWatch {
  stop(): void;
}

const SAMPLE_EXPRESSION = `globalThis[Symbol.for(${JSON.stringify(STALL_SAMPLE_KEY)})]?.()`;
const WORKER_SAMPLE_GIVE_UP_MS = 1000;

export function watchStalls(state: Int32Array, sampleMs: number): StallWatch {
  const beats = new BeatWatch(state, false);
  let session: Session | null = null;

  const disconnect = (): void => {
    const s = session;
    session = null;
    try {
      s?.disconnect();
    } catch {
      // Already gone.
    }
  };
  const sample = (): void => {
    try {
      session = new Session();
      session.connectToMainThread();
      session.post('Runtime.evaluate', { expression: SAMPLE_EXPRESSION, silent: true, returnByValue: true }, () => disconnect());
    } catch {
      disconnect();
    }
  };
  const timer = setInterval(() => {
    if (session === null && beats.stale(Date.now(), sampleMs) !== -1) sample();
  }, WATCH_MS);
  return {
    stop(): void {
      clearInterval(timer);
      disconnect();
    },
  };
}

/** A beat counter that stops moving for `sampleMs`: `sample(beat)` once per stale beat. */
class BeatWatch {
  private seen: number;
  private movedAt = Date.now();
  private sampledBeat = -1;
  /** `afterFirstTurn`: a worker's beat 0 is its module's top-level code, not judged. */
  constructor(private readonly state: Int32Array, private readonly afterFirstTurn: boolean) {
    this.seen = Atomics.load(state, SLOT.beat);
  }
  /** The beat to sample now, or -1. */
  stale(now: number, sampleMs: number): number {
    const beat = Atomics.load(this.state, SLOT.beat);
    if (beat === 0 && this.afterFirstTurn) return -1; // its loop has not turned yet
    if (beat !== this.seen) {
      this.seen = beat;
      this.movedAt = now;
      return -1;
    }
    if (this.sampledBeat === beat || now - this.movedAt < sampleMs) return -1;
    this.sampledBeat = beat;
    return beat;
  }
}

/** `title` is `[worker 2] name` (its threadId); `workerId` is the inspector's own numbering. */
type WorkerInfo = { workerId?: string; title?: string };
type Attached = { params: { sessionId: string; workerInfo: WorkerInfo } };
type FromWorker = { params: { sessionId: string; message: string } };

/** Watches the heartbeats of the traced worker threads `live()` lists; samples a stale one in that worker. */
export function watchWorkerStalls(live: () => Iterable<[number, Int32Array]>, sampleMs: number): StallWatch {
  const beats = new Map<Int32Array, BeatWatch>();
  let session: Session | null = null;
  let giveUp: NodeJS.Timeout | null = null;

  const disconnect = (): void => {
    const s = session;
    session = null;
    if (giveUp !== null) clearTimeout(giveUp);
    giveUp = null;
    try {
      s?.disconnect();
    } catch {
      // Already gone.
    }
  };
  /** Workers the main thread's session did not list (nested ones): not tried again. */
  const unreachable = new Set<number>();
  const sample = (thread: number): void => {
    try {
      const s = (session = new Session());
      s.connectToMainThread();
      let found = false;
      s.on('NodeWorker.attachedToWorker', (m: Attached) => {
        if (!String(m.params.workerInfo.title).startsWith(`[worker ${thread}]`)) return;
        found = true;
        const message = JSON.stringify({ id: 1, method: 'Runtime.evaluate', params: { expression: SAMPLE_EXPRESSION, silent: true, returnByValue: true } });
        s.post('NodeWorker.sendMessageToWorker', { sessionId: m.params.sessionId, message });
      });
      s.on('NodeWorker.receivedMessageFromWorker', (m: FromWorker) => {
        if (m.params.message.startsWith('{"id":1,')) disconnect();
      });
      s.post('NodeWorker.enable', { waitForDebuggerOnStart: false });
      giveUp = setTimeout(() => {
        if (!found) unreachable.add(thread);
        disconnect();
      }, WORKER_SAMPLE_GIVE_UP_MS);
    } catch {
      disconnect();
    }
  };
  const timer = setInterval(() => {
    const now = Date.now();
    const current = new Set<Int32Array>();
    for (const [thread, state] of live()) {
      current.add(state);
      let watch = beats.get(state);
      if (watch === undefined) beats.set(state, (watch = new BeatWatch(state, true)));
      if (session === null && !unreachable.has(thread) && watch.stale(now, sampleMs) !== -1) sample(thread);
    }
    for (const state of beats.keys()) if (!current.has(state)) beats.delete(state);
  }, WATCH_MS);
  return {
    stop(): void {
      clearInterval(timer);
      disconnect();
    },
  };
}
