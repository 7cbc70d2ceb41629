/**
 * Delivering what the agent holds when a debugger stops the program. While the main thread is paused at a
 * breakpoint no timer runs, so the last batch before the stop would wait until the program continues. The
 * inspector therefore evaluates NODE_PAUSE_FLUSH_EXPRESSION through the paused debug session (global
 * context, no frame): V8 runs it on the stopped thread, on top of the paused stack, so `owner()` is still
 * the task whose code is paused. The function publishes everything pending plus a `paused` event and hands
 * the batch to the writer thread, which the debugger does not stop (it stops only the thread that hit the
 * breakpoint); the inspector waits for the `paused` event on its channel.
 * It does not wait for the writer: under js-debug (which debugs the writer thread too, through the main
 * thread's inspector) a main thread blocked in Atomics.wait kept the batch from going out until it returned
 * (a 1 s bound ran out, then the batch arrived at once), while under a bare CDP client it went out in ms.
 * Every traced thread installs it in its own global scope: a stop inside a worker thread is flushed by
 * evaluating it in that worker (js-debug's worker target), and the worker's batch goes on the hub to the main
 * thread's writer thread, which runs while only the worker is stopped (answer `sent`).
 */
import { NODE_PAUSE_FLUSH_KEY, type PauseFlushResult } from '../../protocol/debugger';
import { fault, FAULTS } from './faults';
import { agentError, guard } from './guard';

export function installPauseFlush(deliver: () => PauseFlushResult): void {
  const flush = (): PauseFlushResult => {
    const busy = guard.busy;
    guard.busy = true; // nothing the agent does here is the program's
    try {
      if (FAULTS) fault('pause flush');
      return deliver();
    } catch (err) {
      agentError('pause flush', err);
      return 'unusable';
    } finally {
      guard.busy = busy;
    }
  };
  Object.defineProperty(globalThis, Symbol.for(NODE_PAUSE_FLUSH_KEY), { value: flush, configurable: true });
}
