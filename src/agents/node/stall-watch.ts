/**
 * blocking-call, writer-thread side (runs in dist/agent-node-writer.js). Watches the main thread's
 * heartbeat counter; when it has not moved for `sampleMs`, asks the main thread for one stack sample by
 * evaluating the agent's sampler there through an inspector session (connectToMainThread +
 * Runtime.evaluate, which V8 runs through an interrupt inside the busy thread). The session is connected
 * only for that sample and disconnected right after (a connected session slows the program ~1.1×, and one
 * still connected at exit makes Node wait for the debugger). Never Debugger.enable.
 */
import { Session } from 'node:inspector';
import { SLOT, STALL_SAMPLE_KEY } from './writer-protocol';

const WATCH_MS = 10;

export interface StallWatch {
  stop(): void;
}

export function watchStalls(state: Int32Array, sampleMs: number): StallWatch {
  let seen = Atomics.load(state, SLOT.beat);
  let movedAt = Date.now();
  let sampledBeat = -1;
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
  const sample = (beat: number): void => {
    sampledBeat = beat;
    try {
      session = new Session();
      session.connectToMainThread();
      session.post(
        'Runtime.evaluate',
        { expression: `globalThis[Symbol.for(${JSON.stringify(STALL_SAMPLE_KEY)})]?.()`, silent: true, returnByValue: true },
        () => disconnect(),
      );
    } catch {
      disconnect();
    }
  };
  const timer = setInterval(() => {
    const beat = Atomics.load(state, SLOT.beat);
    const now = Date.now();
    if (beat !== seen) {
      seen = beat;
      movedAt = now;
      return;
    }
    if (session === null && sampledBeat !== beat && now - movedAt >= sampleMs) sample(beat);
  }, WATCH_MS);
  return {
    stop(): void {
      clearInterval(timer);
      disconnect();
    },
  };
}
