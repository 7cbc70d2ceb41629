/**
 * Delivering what the agent holds when a debugger stops the program. While the main thread is paused at a
 * breakpoint no timer runs, so the last batch before the stop would wait until the program continues. The
 * inspector therefore evaluates NODE_PAUSE_FLUSH_EXPRESSION through the paused debug session (global
 * context, no frame): V8 runs it on the stopped thread, on top of the paused stack, so `owner()` is still
 * the task whose code is paused. The function publishes everything pending plus a `paused` event, hands
 * the batch to the writer thread (which is not paused: the debugger stops only the thread that hit the
 * breakpoint) and waits, bounded, until the writer says it is on the socket.
 * Only the process's main thread installs it (a worker's lines go through the hub, asynchronously).
 */
import { NODE_PAUSE_FLUSH_KEY, type PauseFlushResult } from '../../protocol/debugger';
import { guard } from './guard';

/** Longest the stopped program waits for the writer thread (the debugger's evaluate waits with it). */
export const PAUSE_FLUSH_WAIT_MS = 1000;

export function installPauseFlush(deliver: () => PauseFlushResult): void {
  const flush = (): PauseFlushResult => {
    const busy = guard.busy;
    guard.busy = true; // nothing the agent does here is the program's
    try {
      return deliver();
    } catch {
      return 'unusable';
    } finally {
      guard.busy = busy;
    }
  };
  Object.defineProperty(globalThis, Symbol.for(NODE_PAUSE_FLUSH_KEY), { value: flush, configurable: true });
}
