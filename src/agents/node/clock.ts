/**
 * Agent time: ms since the agent started. `performance.now()` costs ~50 ns, too much per promise
 * (2M promises in the await benchmark), so hot paths read `clock.coarse`, refreshed every 1024 promise
 * inits, at each flush, at every stack capture and at every resource callback.
 */
import { performance } from 'node:perf_hooks';

const origin = performance.now();

export const clock = {
  coarse: 0,
  startEpochMs: Date.now(),
  /** Precise time; also refreshes the coarse clock. */
  now(): number {
    const t = Math.round((performance.now() - origin) * 1000) / 1000;
    clock.coarse = t;
    return t;
  },
};
