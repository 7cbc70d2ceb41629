/**
 * Throttles model deltas to the UI: at most one send per interval (50 ms → ≤ 20 updates/s) however
 * fast agent events arrive. Changes are never lost: a delta taken later carries everything since the
 * previous one, and `flush()` sends the last one at once (end of run).
 */

export interface PumpTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: PumpTimers = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export const DEFAULT_DELTA_INTERVAL_MS = 50;

export class DeltaPump<T> {
  private timer: unknown = undefined;
  private lastSentAt = -Infinity;
  private stopped = false;

  constructor(
    /** Takes the changes since the previous call, or null when nothing changed. */
    private readonly take: () => T | null,
    private readonly send: (delta: T) => void,
    private readonly intervalMs = DEFAULT_DELTA_INTERVAL_MS,
    private readonly timers: PumpTimers = realTimers,
  ) {}

  /** Something changed: send it at the next allowed moment (coalescing everything until then). */
  poke(): void {
    if (this.stopped || this.timer !== undefined) return;
    const wait = Math.max(0, this.lastSentAt + this.intervalMs - this.timers.now());
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.sendPending();
    }, wait);
  }

  /** Sends whatever is pending right now, ignoring the interval (the final delta of a run). */
  flush(): void {
    this.cancelTimer();
    if (!this.stopped) this.sendPending();
  }

  /** No more sends after this (pending changes are dropped; call flush() first to keep them). */
  stop(): void {
    this.cancelTimer();
    this.stopped = true;
  }

  private sendPending(): void {
    const delta = this.take();
    if (delta === null) return;
    this.lastSentAt = this.timers.now();
    this.send(delta);
  }

  private cancelTimer(): void {
    if (this.timer === undefined) return;
    this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
