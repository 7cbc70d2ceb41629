/**
 * The session clock the view measures live durations and the timeline's "now" to. It advances in real
 * time while the program runs, even when no delta arrives; while a debugger holds the program it stands
 * still at the stop (nothing in the program moves, so neither do its durations), and at continue it
 * runs again from the real time (the program's own clock went on during the stop; the next delta says so).
 * Pure: the caller passes the store and the real time (performance.now()).
 */
import type { SessionStore } from '../shared/store';

export class ViewClock {
  private base = 0;
  private at = 0;
  /** The clock's value when the current stop began; undefined while the program runs. */
  private frozen: number | undefined;

  constructor(private readonly store: Pick<SessionStore, 'status' | 'now' | 'paused'>) {}

  now(real: number): number {
    if (this.store.status !== 'running') return this.store.now;
    if (this.frozen !== undefined) return Math.max(this.frozen, this.store.now);
    return this.base + (real - this.at);
  }

  /** After every applied message: a delta (or a new session) sets the clock, a stop freezes it, a continue lets it go. */
  applied(real: number, setsClock: boolean): void {
    if (setsClock) {
      this.base = this.store.now;
      this.at = real;
    }
    const paused = this.store.status === 'running' && this.store.paused !== null;
    if (paused && this.frozen === undefined) this.frozen = this.now(real);
    if (!paused) this.frozen = undefined;
  }

  /** True while the clock stands still at a debugger stop. */
  get stopped(): boolean {
    return this.frozen !== undefined;
  }
}
