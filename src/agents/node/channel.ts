/**
 * The main-thread side of the channel: hands NDJSON lines to the writer thread (writer-thread.ts) and never
 * waits for it, except once at exit (bounded) so the final batch and `bye` reach the inspector.
 * The writer thread is unref'd: it never keeps the program alive. It is started on the first turn of the
 * event loop, not at preload: starting a thread costs tens of ms of CPU, which on a small machine would be
 * taken from the program's start (a program that never yields gets its thread at exit).
 */
import { writeSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { encodeMessage } from '../../protocol/framing';
import type { AgentMessage } from '../../protocol/events';
import { WRITER_THREAD_NAME } from '../../protocol/debugger';
import { faultSetting, faulty, FAULTS } from './faults';
import { sayOnce } from './guard';
import { LagGate } from './lag-gate';
import { SLOT, SLOTS, type WriterData, type WriterMessage } from './writer-protocol';

const EXIT_WAIT_MS = 500;
/** Longest a direct write (writeNow) keeps retrying a full socket buffer. */
const WRITE_NOW_MS = 500;

/** Writes all of `bytes` on a non-blocking descriptor, retrying a full buffer (EAGAIN) for at most WRITE_NOW_MS. */
function writeAllSync(fd: number, bytes: Buffer): boolean {
  const deadline = Date.now() + WRITE_NOW_MS;
  let done = 0;
  while (done < bytes.length) {
    try {
      done += writeSync(fd, bytes, done, bytes.length - done);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN' || Date.now() > deadline) return false;
    }
  }
  return true;
}
/** One NDJSON line; in the fault-injection test mode, maybe a garbage one. */
export function encode(msg: AgentMessage): string {
  const text = encodeMessage(msg);
  return FAULTS ? faulty('encoder', text, () => '{"type":"batch","seq":\u0000garbage\n') : text;
}

/** Said once on the program's stderr, as the Python agent says it cannot reach the inspector. */
function writerLost(err: unknown): void {
  sayOnce(`the agent's writer thread failed (${err instanceof Error ? err.message : String(err)}); the rest of this run is untraced`);
}

/** A writer thread still starting (a loaded machine, a very short program) gets a little longer. */
const EXIT_WAIT_STARTING_MS = 1000;

/** What the agent needs of its channel: this writer-thread one, or a worker's HubChannel. */
export interface AgentChannel {
  /** Called at every flush: lets queued lines go. */
  start(): void;
  /** The counters shared with the writer thread (SLOT). */
  readonly shared: Int32Array;
  readonly usable: boolean;
  takeDropped(): number;
  send(msg: AgentMessage, events?: number): void;
  close(last: AgentMessage[]): void;
}

export interface ChannelOptions {
  /** Ask for a stack sample once the main thread's heartbeat is this stale (ms); 0 = no stall watch. */
  stallSampleMs: number;
  /** The BroadcastChannel the writer listens to for the program's worker threads (hub-channel.ts). */
  hub: string | undefined;
}

export class Channel implements AgentChannel {
  private readonly state: Int32Array;
  private worker: Worker | undefined;
  private backlog: WriterMessage[] = [];
  private closed = false;
  private readonly gate: LagGate;
  /** Posted messages the writer has not confirmed written (index = their SLOT.posted count). */
  private unwritten: { index: number; text: string }[] = [];

  constructor(
    private readonly address: string,
    private readonly writerFile: string,
    private readonly options: ChannelOptions,
  ) {
    this.state = new Int32Array(new SharedArrayBuffer(SLOTS * 4));
    this.gate = new LagGate(this.state);
  }

  /** Starts the writer thread (once) and hands it what was queued so far. */
  start(): void {
    if (this.worker) return;
    const data: WriterData = {
      asyncInspectorWriter: true, channel: this.address, shared: this.state.buffer as SharedArrayBuffer,
      stallSampleMs: this.options.stallSampleMs, ...(this.options.hub ? { hub: this.options.hub } : {}),
      ...(FAULTS ? { asyncInspectorFaults: faultSetting() } : {}),
    };
    // Named: a debugger lists it among the program's threads (js-debug's CALL STACK shows it running).
    this.worker = new Worker(this.writerFile, { workerData: data, stdout: true, stderr: true, env: {}, execArgv: [], name: WRITER_THREAD_NAME });
    // The writer died: nothing can reach the inspector any more, so the one place left to say it is stderr.
    // The channel turns unusable, and the next flush stops the hooks.
    this.worker.on('error', (err) => {
      Atomics.store(this.state, SLOT.link, 2);
      writerLost(err);
    });
    this.worker.unref();
    for (const msg of this.backlog.splice(0)) this.worker.postMessage(msg);
  }

  /** The counters shared with the writer thread (the heartbeat lives there too). */
  get shared(): Int32Array {
    return this.state;
  }

  /** False once the writer could not connect or the channel closed: the agent can stop tracing. */
  get usable(): boolean {
    return !this.closed && Atomics.load(this.state, SLOT.link) !== 2;
  }

  /** Events dropped because the writer lagged, since the previous call. */
  takeDropped(): number {
    return this.gate.takeDropped();
  }

  send(msg: AgentMessage, events = 0): void {
    if (!this.usable || !this.gate.admit(msg, events)) return;
    this.post({ kind: 'data', text: encode(msg) });
  }

  /**
   * Writes `msg` on the socket from this thread, synchronously, after the messages the writer has not taken yet:
   * for a stop in a debugger (pause.ts), where the writer thread may not run until the program continues. It
   * claims those messages (SLOT.claimed) only while the writer has none in its hands, so bytes never interleave
   * and none goes twice. False: not possible now (not connected, the writer mid-write, no descriptor, the socket
   * full for WRITE_NOW_MS); the caller sends it the usual way.
   */
  writeNow(msg: AgentMessage): boolean {
    const fd = Atomics.load(this.state, SLOT.fd) - 1;
    if (fd < 0 || !this.usable || Atomics.load(this.state, SLOT.link) !== 1) return false;
    const written = Atomics.load(this.state, SLOT.written);
    const posted = Atomics.load(this.state, SLOT.posted);
    // Claim every posted message, only while the writer has none in its hands (claimed == written).
    if (posted !== written && Atomics.compareExchange(this.state, SLOT.claimed, written, posted) !== written) return false;
    const pending = this.unwritten.filter((m) => m.index > written).map((m) => m.text);
    this.unwritten = [];
    const ok = writeAllSync(fd, Buffer.from(pending.join('') + encodeMessage(msg)));
    Atomics.store(this.state, SLOT.written, posted);
    return ok;
  }

  /** Sends the last messages and waits (at most EXIT_WAIT_MS) until the writer has put them on the socket. */
  close(last: AgentMessage[]): void {
    if (this.closed) return;
    const usable = this.usable;
    this.closed = true;
    if (!usable) return;
    this.post({ kind: 'end', text: last.map(encode).join('') });
    this.start();
    const started = Date.now();
    for (;;) {
      const connected = Atomics.load(this.state, SLOT.link) === 1;
      const left = started + (connected ? EXIT_WAIT_MS : EXIT_WAIT_STARTING_MS) - Date.now();
      if (left <= 0 || Atomics.load(this.state, SLOT.done) !== 0) break;
      // Short waits: the writer may connect meanwhile, which changes the bound.
      Atomics.wait(this.state, SLOT.done, 0, Math.min(left, 50));
    }
  }

  private post(msg: WriterMessage): void {
    const index = Atomics.add(this.state, SLOT.posted, 1) + 1;
    // Kept until written, for writeNow; trimmed here, so it holds at most the writer's lag (LagGate bounds it).
    if (this.unwritten.length !== 0 && this.unwritten[0].index <= Atomics.load(this.state, SLOT.written)) {
      const written = Atomics.load(this.state, SLOT.written);
      this.unwritten = this.unwritten.filter((m) => m.index > written);
    }
    this.unwritten.push({ index, text: msg.text });
    if (this.worker) this.worker.postMessage(msg);
    else this.backlog.push(msg);
  }
}
