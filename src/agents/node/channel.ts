/**
 * The main-thread side of the channel: hands NDJSON lines to the writer thread (writer-thread.ts) and never
 * waits for it, except once at exit (bounded) so the final batch and `bye` reach the inspector.
 * The writer thread is unref'd: it never keeps the program alive. It is started on the first turn of the
 * event loop, not at preload: starting a thread costs tens of ms of CPU, which on a small machine would be
 * taken from the program's start (a program that never yields gets its thread at exit).
 */
import { Worker } from 'node:worker_threads';
import { encodeMessage } from '../../protocol/framing';
import type { AgentMessage } from '../../protocol/events';
import { LagGate } from './lag-gate';
import { SLOT, SLOTS, type WriterData, type WriterMessage } from './writer-protocol';

const EXIT_WAIT_MS = 500;
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

  constructor(
    private readonly address: string,
    private readonly writerFile: string,
    private readonly onError: (where: string, err: unknown) => void,
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
    };
    this.worker = new Worker(this.writerFile, { workerData: data, stdout: true, stderr: true, env: {}, execArgv: [] });
    this.worker.on('error', (err) => this.onError('writer thread', err));
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
    this.post({ kind: 'data', text: encodeMessage(msg) });
  }

  /**
   * Waits (at most `ms`) until the writer has put every message posted so far on the socket: a debugger
   * stop (pause.ts), where the program must not go on before the inspector has what it needs.
   */
  waitWritten(ms: number): boolean {
    this.start();
    const deadline = Date.now() + ms;
    for (;;) {
      const written = Atomics.load(this.state, SLOT.written);
      if (written >= Atomics.load(this.state, SLOT.posted)) return true;
      const left = deadline - Date.now();
      if (left <= 0 || !this.usable) return false;
      Atomics.wait(this.state, SLOT.written, written, Math.min(left, 50));
    }
  }

  /** Sends the last messages and waits (at most EXIT_WAIT_MS) until the writer has put them on the socket. */
  close(last: AgentMessage[]): void {
    if (this.closed) return;
    const usable = this.usable;
    this.closed = true;
    if (!usable) return;
    this.post({ kind: 'end', text: last.map(encodeMessage).join('') });
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
    Atomics.add(this.state, SLOT.posted, 1);
    if (this.worker) this.worker.postMessage(msg);
    else this.backlog.push(msg);
  }
}
