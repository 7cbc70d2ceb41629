/**
 * A traced worker thread's side of the channel: its lines go on the hub (a BroadcastChannel) to the main
 * thread's writer thread, which gives the worker its own socket (writer-hub.ts). No thread of its own to
 * start, and nothing to wait for at exit: a message posted on a BroadcastChannel is queued at the receiver
 * when postMessage returns, so the last batch and `bye` survive the worker ending right after. A worker
 * ended by terminate() runs no exit handler at all; the model ends what it left (src/model/stopped-threads.ts).
 *
 * A BroadcastChannel delivers to every open instance of its name, so the worker opens one per message and
 * closes it at once (~0.1 ms, once per flush at most): one kept open would also receive, and hold, every
 * other worker's lines. Before the writer listens (the main thread's first turn), lines wait here.
 */
import { BroadcastChannel } from 'node:worker_threads';
import type { AgentMessage } from '../../protocol/events';
import { encode, type AgentChannel } from './channel';
import { LagGate } from './lag-gate';
import { SLOT, SLOTS, type HubMessage } from './writer-protocol';

/** At exit, how long to wait for a writer that does not listen yet (the main thread never yielded). */
const EXIT_WAIT_FOR_HUB_MS = 500;

export interface Hub {
  name: string;
  /** The main thread's writer state: SLOT.hub says whether the writer listens. */
  writerState: SharedArrayBuffer;
}

export class HubChannel implements AgentChannel {
  private readonly state = new Int32Array(new SharedArrayBuffer(SLOTS * 4));
  private readonly writer: Int32Array;
  private backlog: HubMessage[] = [];
  private introduced = false;
  private closed = false;
  private readonly gate = new LagGate(this.state);

  constructor(private readonly hub: Hub, private readonly thread: number) {
    this.writer = new Int32Array(hub.writerState, 0, SLOTS);
  }

  /** Hands over what waited for the writer, once it listens (called at every flush). */
  start(): void {
    if (this.backlog.length > 0 && this.hubUp()) this.postAll(this.backlog.splice(0));
  }

  get shared(): Int32Array {
    return this.state;
  }

  get usable(): boolean {
    return !this.closed && Atomics.load(this.state, SLOT.link) !== 2 && Atomics.load(this.writer, SLOT.link) !== 2;
  }

  takeDropped(): number {
    return this.gate.takeDropped();
  }

  send(msg: AgentMessage, events = 0): void {
    if (!this.usable || !this.gate.admit(msg, events)) return;
    this.queue({ thread: this.thread, kind: 'data', text: encode(msg) });
    this.start();
  }

  /** Posts the last messages; waits (bounded) only when the writer does not listen yet. */
  close(last: AgentMessage[]): void {
    if (this.closed) return;
    const usable = this.usable;
    this.closed = true;
    if (!usable) return;
    this.queue({ thread: this.thread, kind: 'end', text: last.map(encode).join('') });
    const until = Date.now() + EXIT_WAIT_FOR_HUB_MS;
    while (!this.hubUp() && Date.now() < until) Atomics.wait(this.writer, SLOT.hub, 0, 20);
    this.start();
  }

  private queue(msg: HubMessage): void {
    Atomics.add(this.state, SLOT.posted, 1);
    this.backlog.push(msg);
  }

  private hubUp(): boolean {
    return Atomics.load(this.writer, SLOT.hub) === 1;
  }

  private postAll(messages: HubMessage[]): void {
    const hub = new BroadcastChannel(this.hub.name);
    try {
      for (const msg of messages) {
        if (!this.introduced && msg.kind !== 'gone') {
          msg.state = this.state.buffer as SharedArrayBuffer;
          this.introduced = true;
        }
        hub.postMessage(msg);
      }
    } finally {
      hub.close();
    }
  }
}
