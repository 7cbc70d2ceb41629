/**
 * Back-pressure without waiting, shared by both channel sides (channel.ts, hub-channel.ts): while the writer
 * lags more than MAX_IN_FLIGHT messages behind, new batches are dropped and their events counted (sent as
 * the next batch's `dropped`, shown to the user). Other messages always go.
 */
import type { AgentMessage } from '../../protocol/events';
import { SLOT } from './writer-protocol';

const MAX_IN_FLIGHT = 256;

export class LagGate {
  private dropped = 0;

  /** `state`: the counters the writer updates (SLOT.posted / SLOT.written). */
  constructor(private readonly state: Int32Array) {}

  admit(msg: AgentMessage, events: number): boolean {
    if (msg.type !== 'batch') return true;
    const lag = Atomics.load(this.state, SLOT.posted) - Atomics.load(this.state, SLOT.written);
    if (lag <= MAX_IN_FLIGHT) return true;
    this.dropped += events;
    return false;
  }

  /** Events dropped since the previous call. */
  takeDropped(): number {
    const n = this.dropped;
    this.dropped = 0;
    return n;
  }
}
