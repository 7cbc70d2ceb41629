/**
 * Tells, from a debug session's own events, that the program it launched has no agent (agentAbsent in
 * inject-python.ts): the first DAP event that comes from the debuggee (`process`, `initialized`, `thread`,
 * `stopped`) starts a HELLO_GRACE_MS timer; no hello from the debuggee by then → `say` once. Skipped when
 * the configuration's own warning (-I / -E / -S in "python" / "pythonArgs") already said why. Pure but for
 * the timer; the extension feeds it (src/extension/debug/followedSessions.ts).
 */
import { agentAbsent, HELLO_GRACE_MS } from './inject-python';

/** The DAP events that only come once the debuggee runs (debugpy forwards pydevd's). */
const DEBUGGEE_EVENTS = new Set(['process', 'initialized', 'thread', 'stopped']);

export class HelloWatch {
  private readonly helloPids: number[] = [];
  private debuggeePid: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private done = false;

  constructor(private readonly say: () => void) {}

  /** A DAP event of the session; `systemProcessId` from a `process` event names the debuggee. */
  event(name: string | undefined, systemProcessId?: number): void {
    if (name === 'process' && typeof systemProcessId === 'number') this.debuggeePid = systemProcessId;
    if (this.done || this.timer || !name || !DEBUGGEE_EVENTS.has(name)) return;
    const first = performance.now();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.done) return;
      this.done = true;
      if (agentAbsent(this.helloPids, performance.now() - first, this.debuggeePid)) this.say();
    }, HELLO_GRACE_MS + 50); // a timer may fire a little before performance.now() says the time is up
    this.timer.unref();
  }

  /** An agent said hello (its pid when it gave one). */
  hello(pid: number | undefined): void {
    // Without a pid it can only be taken for the debuggee's.
    this.helloPids.push(pid ?? this.debuggeePid ?? -1);
  }

  /** The reason was already given (the configuration's warning), or the session is over: nothing more to say. */
  stop(): void {
    this.done = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
