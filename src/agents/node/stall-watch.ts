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
import { fault, FAULTS } from './faults';
import { beatSince, SLOT, STALL_SAMPLE_KEY, WALL_MASK } from './writer-protocol';

/** While a beat is stale (sampled already, or a sample in flight): how often to look again. */
const WATCH_MS = 10;
/** With no traced worker to watch: how often to look for new ones. */
const IDLE_WATCH_MS = 100;

export interface StallWatch {
  stop(): void;
}

const SAMPLE_EXPRESSION = `globalThis[Symbol.for(${JSON.stringify(STALL_SAMPLE_KEY)})]?.()`;
const WORKER_SAMPLE_GIVE_UP_MS = 1000;

/**
 * Runs `check` (which answers how long it may sleep, in ms) on a timer re-armed from its answer: a watched
 * loop that beats wakes this thread about once per `sampleMs`, not every few ms (an idle traced program's
 * writer thread woke 200 times a second, ~10 ms of CPU a second on a loaded machine).
 */
function every(check: () => number, failed: Failed): { stop(): void } {
  let timer: NodeJS.Timeout | null = null;
  const run = (): void => {
    let wait = WATCH_MS;
    try {
      if (FAULTS) fault('stall watch');
      wait = check();
    } catch (err) {
      failed('stall watch', err); // said once; the watch goes on
    }
    timer = setTimeout(run, Math.max(1, wait));
  };
  timer = setTimeout(run, 0);
  return {
    stop(): void {
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}

/** Says a failure of the writer thread's own (writer-thread.ts). */
export type Failed = (where: string, err: unknown) => void;

export function watchStalls(state: Int32Array, sampleMs: number, failed: Failed): StallWatch {
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
  const watch = every(() => {
    const now = Date.now();
    if (session === null && beats.stale(now, sampleMs) !== -1) sample();
    return session === null ? beats.wait(now, sampleMs) : WATCH_MS;
  }, failed);
  return {
    stop(): void {
      watch.stop();
      disconnect();
    },
  };
}

/**
 * A heartbeat (SLOT.beat, bumped by the watched thread with its time in SLOT.beatAt: stall-detection) that
 * stops moving for `sampleMs`: `stale()` answers that beat once.
 */
class BeatWatch {
  /** Beats older than this are not judged: the watch started after them (the first turn of the loop). */
  private readonly since = Date.now();
  private sampledBeat = -1;
  /** `afterFirstTurn`: a worker's beat 0 is its module's top-level code, not judged. */
  constructor(private readonly state: Int32Array, private readonly afterFirstTurn: boolean) {}
  /** How long the beat has not moved (ms); -1 while its loop has not turned yet. */
  private staleFor(now: number): number {
    if (Atomics.load(this.state, SLOT.beat) === 0 && this.afterFirstTurn) return -1;
    const at = Atomics.load(this.state, SLOT.beatAt);
    const last = beatSince(at, this.since) ? at : this.since & WALL_MASK;
    return ((now & WALL_MASK) - last) & WALL_MASK;
  }
  /** The beat to sample now, or -1. */
  stale(now: number, sampleMs: number): number {
    const beat = Atomics.load(this.state, SLOT.beat);
    if (this.sampledBeat === beat) return -1;
    const stale = this.staleFor(now);
    if (stale < sampleMs) return -1;
    this.sampledBeat = beat;
    return beat;
  }
  /** How long to sleep before the beat could be stale (or WATCH_MS while it is, or the loop has not turned). */
  wait(now: number, sampleMs: number): number {
    const stale = this.staleFor(now);
    return stale < 0 || stale >= sampleMs ? WATCH_MS : sampleMs - stale;
  }
}

/** Past this many live traced workers, their stalls are not sampled (see watchWorkerStalls). */
const MAX_WORKERS_SAMPLED = 16;

/** `title` is `[worker 2] name` (its threadId); `workerId` is the inspector's own numbering. */
type WorkerInfo = { workerId?: string; title?: string };
type Attached = { params: { sessionId: string; workerInfo: WorkerInfo } };
type FromWorker = { params: { sessionId: string; message: string } };

/** Watches the heartbeats of the traced worker threads `live()` lists; samples a stale one in that worker. */
export function watchWorkerStalls(live: () => Iterable<[number, Int32Array]>, sampleMs: number, failed: Failed): StallWatch {
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
        if (session !== s || !String(m.params.workerInfo.title).startsWith(`[worker ${thread}]`)) return;
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
  const watch = every(() => {
    const now = Date.now();
    const current = new Set<Int32Array>();
    let next = IDLE_WATCH_MS;
    const threads = [...live()];
    // NodeWorker.enable attaches a session to every worker: with many at once, sampling one costs them all, and
    // (Node 20) a worker attached while it exits can keep the program from ever exiting.
    const sampling = threads.length <= MAX_WORKERS_SAMPLED;
    for (const [thread, state] of threads) {
      current.add(state);
      let beat = beats.get(state);
      if (beat === undefined) beats.set(state, (beat = new BeatWatch(state, true)));
      if (sampling && session === null && !unreachable.has(thread) && beat.stale(now, sampleMs) !== -1) sample(thread);
      next = Math.min(next, beat.wait(now, sampleMs));
    }
    for (const state of beats.keys()) if (!current.has(state)) beats.delete(state);
    return session === null ? next : WATCH_MS;
  }, failed);
  return {
    stop(): void {
      watch.stop();
      disconnect();
    },
  };
}
