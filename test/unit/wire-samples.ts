import type { AgentEvent } from '../../src/protocol/events';

/** One event of every kind, with and without optional fields. */
export const SAMPLES: AgentEvent[] = [
  { e: 'site', id: 1, file: '/w/app.js', line: 3, fn: 'main' },
  { e: 'site', id: 2, file: '/w/app.js', line: 4, fn: 'f', col: 9 },
  { e: 'loop', id: 1, name: 'main', thread: 'main', t: 0 },
  { e: 'create', id: 7, kind: 'promise', name: 'main', parent: null, site: 1, t: 1.5 },
  { e: 'create', id: 8, kind: 'task', name: 'f', parent: 7, site: null, t: 2, loop: 1 },
  { e: 'create', id: 9, kind: 'task', name: 'g', parent: 7, site: 2, t: 2, stack: [2, 1], loop: 1 },
  { e: 'name', id: 8, name: 'worker' },
  { e: 'state', id: 8, state: 'running', t: 3 },
  { e: 'state', id: 10, state: 'queued', t: 3, thread: 'ThreadPoolExecutor-0_0' },
  { e: 'await', id: 7, on: [8, 9], site: 2, t: 3 },
  { e: 'await', id: 8, on: [], site: null, t: 3 },
  { e: 'step', id: 8, t: 4, dur: 0.25 },
  { e: 'end', id: 8, state: 'done', t: 5 },
  { e: 'end', id: 9, state: 'failed', t: 5, error: { type: 'ValueError', message: 'bad', stack: [2] } },
  { e: 'end', id: 9, state: 'done', t: 5, result: "'ok'" },
  { e: 'rollup', kind: 'promise', name: 'promise', site: null, parent: 7, count: 10, failed: 1, cancelled: 0, totalMs: 2, t: 6 },
  { e: 'finding', kind: 'blocking-call', message: 'held the loop', t: 7, site: 2, dur: 120, loop: 1 },
  { e: 'finding', kind: 'never-awaited', message: 'f() never awaited', t: 7, site: 2, task: 8, key: 'k1' },
  { e: 'retract', key: 'k1' },
];
