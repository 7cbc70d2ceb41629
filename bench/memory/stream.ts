/**
 * A synthetic but realistic agent event stream, generated lazily (10 million events never sit in memory):
 * one `batch` per 50 ms flush of stream time, as the agents send them. The mix: a server's long-lived
 * workers that wake, run and park again forever; short-lived request tasks (most end within a flush or
 * two, some within seconds, a few after most of a minute) that await workers, fail with stacks or get
 * cancelled; executor jobs on worker threads; rollups of task storms; blocking-call findings;
 * floating-promise findings, half of them withdrawn (together enough to reach the model's MAX_FLAGS
 * cap); and, during the first million events, a leak of tasks that stay pending to the end.
 * Deterministic (seeded), so two runs measure the same stream.
 */
import type { AgentEvent, AgentMessage, EndState } from '../../src/protocol/events';

export interface StreamOptions {
  totalEvents: number;
  /** Agent events per second of stream time (sets how many events fall between two deltas). */
  eventsPerSecond: number;
  flushMs?: number;
  seed?: number;
}

export interface Timed {
  /** Stream time (ms since the agent started) at which the agent sends this message. */
  t: number;
  msg: AgentMessage;
  /** Agent events inside `msg` (0 for hello/bye). */
  events: number;
}

const SITES = 400;
const WORKERS = 200;
/** Tasks leaked (created, never ended) during the first million events. */
const LEAK_UNTIL = 1_000_000;
const LEAK_EVERY = 1000;

interface Inflight {
  id: number;
  endFlush: number;
}

/** mulberry32: small, fast, seeded (a failing fuzz run is reproduced by its seed). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

export function* agentStream(opts: StreamOptions): Generator<Timed> {
  const flushMs = opts.flushMs ?? 50;
  const perFlush = Math.max(50, Math.round((opts.eventsPerSecond * flushMs) / 1000));
  const rand = rng(opts.seed ?? 42);
  const pick = (n: number): number => Math.floor(rand() * n);
  const round = (t: number): number => Math.round(t * 1000) / 1000;

  yield {
    t: 0, events: 0,
    msg: {
      type: 'hello', protocol: 2, token: 'bench', runtime: 'node', pid: 4242, ppid: 1, argv: ['node', 'server.js'],
      cwd: '/app', agentVersion: 'bench', runtimeVersion: process.version, startEpochMs: Date.now(),
    },
  };
  const setup: AgentEvent[] = [{ e: 'loop', id: 1, name: 'main', thread: 'main', t: 0 }];
  for (let s = 1; s <= SITES; s++) {
    setup.push({ e: 'site', id: s, file: `/app/src/routes/module${s % 40}.js`, line: 10 + s, col: 5, fn: `handler${s}` });
  }
  let nextId = 1;
  const workers: number[] = [];
  for (let w = 0; w < WORKERS; w++) {
    const id = nextId++;
    workers.push(id);
    setup.push({ e: 'create', id, kind: 'promise', name: `worker${w}`, parent: null, site: 1 + (w % SITES), loop: 1, t: 0 });
  }
  let sent = setup.length;
  let seq = 0;
  yield { t: 0, events: setup.length, msg: { type: 'batch', seq: seq++, dropped: 0, events: setup } };

  let inflight: Inflight[] = [];
  const pendingRetracts: string[] = [];
  let flush = 0;
  let leaked = 0;
  let keyN = 0;
  while (sent < opts.totalEvents) {
    flush++;
    const t0 = flush * flushMs;
    const at = (): number => round(t0 - flushMs + rand() * flushMs);
    const evs: AgentEvent[] = [];
    // Endings due now.
    const still: Inflight[] = [];
    for (const task of inflight) {
      if (task.endFlush > flush) {
        still.push(task);
        continue;
      }
      const r = rand();
      const state: EndState = r < 0.9 ? 'done' : r < 0.97 ? 'failed' : 'cancelled';
      const t = at();
      evs.push({ e: 'state', id: task.id, state: 'running', t }, { e: 'step', id: task.id, t, dur: 0.2 });
      if (state === 'failed') {
        evs.push({ e: 'end', id: task.id, state, t: round(t + 0.2), runMs: 0.4,
          error: { type: 'Error', message: `upstream ${task.id} refused`, stack: [1 + pick(SITES), 1 + pick(SITES)] } });
      } else {
        evs.push({ e: 'end', id: task.id, state, t: round(t + 0.2), runMs: 0.4, ...(state === 'done' ? { result: 'ok' } : {}) });
      }
    }
    inflight = still;
    // Long-lived workers wake, run a slice and park again.
    for (let k = 0; k < 20; k++) {
      const id = workers[pick(WORKERS)];
      const t = at();
      evs.push({ e: 'state', id, state: 'running', t }, { e: 'step', id, t, dur: 1.5 },
        { e: 'await', id, on: [], site: 1 + pick(SITES), t: round(t + 1.5) });
    }
    // Storms of tiny tasks arrive already summed up.
    evs.push({ e: 'rollup', kind: 'promise', name: 'parseChunk', site: 7, parent: null, count: 50 + pick(450),
      failed: 0, cancelled: 0, totalMs: 3, t: at() });
    // Findings: a blocking call now and then; floating promises, most of them awaited later (withdrawn).
    for (const key of pendingRetracts.splice(0)) evs.push({ e: 'retract', key });
    for (let n = pick(4); n > 0; n--) {
      evs.push({ e: 'finding', kind: 'blocking-call', message: `event loop blocked for ${100 + pick(900)} ms`, t: at(),
        site: 1 + pick(SITES), stack: [1 + pick(SITES), 1 + pick(SITES)], dur: 100 + pick(900) });
    }
    for (let n = 0; n < 8; n++) {
      const key = `fl${keyN++}`;
      evs.push({ e: 'finding', kind: 'never-awaited', message: 'a promise was created and never awaited', t: at(),
        site: 1 + pick(SITES), key });
      if (rand() < 0.5) pendingRetracts.push(key);
    }
    // New request tasks fill the rest of this flush's budget.
    while (evs.length < perFlush) {
      const id = nextId++;
      const site = 1 + pick(SITES);
      const t = at();
      const executor = rand() < 0.05;
      evs.push({ e: 'create', id, kind: executor ? 'executor' : 'promise', name: executor ? 'readFile' : `handler${site}`,
        parent: workers[pick(WORKERS)], site, loop: 1, t, ...(rand() < 0.2 ? { stack: [site, 1 + pick(SITES)] } : {}) });
      if (executor) evs.push({ e: 'state', id, state: 'running', t, thread: `worker-${pick(4)}` });
      else evs.push({ e: 'await', id, on: rand() < 0.3 ? [workers[pick(WORKERS)]] : [], site: 1 + pick(SITES), t });
      const stuck = sent < LEAK_UNTIL && (sent + evs.length) / LEAK_EVERY > leaked;
      if (stuck) {
        leaked++;
        continue; // never ends
      }
      const r = rand();
      const life = r < 0.8 ? pick(2) : r < 0.995 ? 2 + pick(40) : 100 + pick(1000);
      inflight.push({ id, endFlush: flush + life });
    }
    sent += evs.length;
    yield { t: t0, events: evs.length, msg: { type: 'batch', seq: seq++, dropped: 0, events: evs } };
  }
  yield { t: flush * flushMs + 1, events: 0, msg: { type: 'bye', t: flush * flushMs + 1, exitCode: 0, drained: false } };
}
