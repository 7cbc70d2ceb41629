/** Everything the model holds, shared by the reducers, the views and the lints. */
import { emptyCounts, type Counts } from './counts';
import type { Connection, TaskRecord } from './records';
import { newConnection } from './records';
import { ChangeTracker } from './changes';
import { FlagStore } from './flags';
import { Retention } from './retention';
import { SiteRegistry } from './sites';

export interface ModelState {
  conns: Connection[];
  /** Every connection's sites, by the SiteIds views and deltas carry. */
  sites: SiteRegistry;
  counts: Counts;
  dropped: number;
  /** Events skipped because they were malformed (wrong types, unknown ids, unknown kinds). */
  malformed: number;
  /** Latest session time seen (ms). */
  now: number;
  changes: ChangeTracker;
  flags: FlagStore;
  retention: Retention;
  /** The last `paused` event (a debugger stop): the paused task, its connection, and how many stops so far. */
  paused: PausedAt | undefined;
}

export interface PausedAt {
  task: string | null;
  conn: number;
  count: number;
}

export function createState(maxFinishedTasks: number): ModelState {
  const changes = new ChangeTracker();
  const state: ModelState = {
    conns: [],
    sites: new SiteRegistry(),
    counts: emptyCounts(),
    dropped: 0,
    malformed: 0,
    now: 0,
    changes,
    flags: new FlagStore(changes),
    paused: undefined,
    retention: new Retention(maxFinishedTasks, (rec: TaskRecord) => {
      rec.conn.tasks.delete(rec.local);
      changes.retire(rec);
    }),
  };
  return state;
}

export function connection(state: ModelState, index: number): Connection {
  let conn = state.conns[index];
  if (!conn) {
    for (let i = state.conns.length; i <= index; i++) state.conns[i] ??= newConnection(i, state.sites);
    conn = state.conns[index];
  }
  return conn;
}

/** Every held task of every connection. */
export function* allTasks(state: ModelState): Iterable<TaskRecord> {
  for (const conn of state.conns) if (conn) yield* conn.tasks.values();
}
