/**
 * The model's internal, mutable records. Ids stay the agents' small integers (fast Map keys);
 * namespaced string ids ("12", "p1:12") are made only when a record is turned into a view.
 */
import type { AttachOrigin, ErrorInfo, TaskKind, TaskState } from '../protocol/events';
import type { ProcessInfo } from './processes';
import type { LoopView } from './types';
import { SiteTable, type SiteRegistry } from './sites';

/** One connected process (the launcher numbers connections from 0). */
export interface Connection {
  index: number;
  /** "" for connection 0, "p1:" for connection 1 ... */
  prefix: string;
  /** Added to the agent's times to get session time (ms since the first process started). */
  offset: number;
  startEpochMs: number | undefined;
  /** Set when the connection traces one of a process's worker threads (hello.threadId). */
  threadId: number | undefined;
  sites: SiteTable;
  tasks: Map<number, TaskRecord>;
  loops: Map<number, LoopView>;
  /** The process the connection traces (hello), with its exit code once its main thread's bye said it. */
  process: ProcessInfo | undefined;
}

export interface TaskRecord {
  conn: Connection;
  local: number;
  name: string;
  kind: TaskKind;
  state: TaskState;
  /** Local id of the creator, when it was known at creation. */
  parent: number | null;
  /** Local ids this task waits on now. */
  awaiting: number[];
  /** Local ids of tasks waiting on this one. */
  awaitedBy: number[];
  site: number | null;
  awaitSite: number | null | undefined;
  /**
   * Session time the current await (awaiting, awaitSite) began; cleared with them. On the record, not in
   * `more`: most tasks that live long enough to be seen await, and a `more` object each cost ~5% of ingest.
   */
  awaitSince: number | undefined;
  loop: number | undefined;
  createdAt: number;
  startedAt: number | undefined;
  endedAt: number | undefined;
  /** What only some tasks have, kept apart so the common record stays small (ingest speed, memory). */
  more: TaskDetails | undefined;
  /** Change-tracking epoch this record was last marked dirty in. */
  mark: number;
  /** Whether a delta or snapshot has shown it (so its retirement must be announced). */
  sent: boolean;
  /**
   * Whether a delta (not a snapshot) carried its whole record: later deltas then
   * carry only its progress (see InspectorModel.takeDelta for why this is safe).
   */
  streamed: boolean;
  retired: boolean;
}

export interface TaskDetails {
  stack?: number[];
  /** It existed before the inspector attached; what its site is. */
  foundAtAttach?: AttachOrigin;
  /** Worker thread/process of executor work. */
  thread?: string;
  runMs?: number;
  /** Sum of `step` slices, used when `end` carries no runMs. */
  stepMs?: number;
  /** Running slices as flat [t0, dur0, t1, dur1, ...], bounded (for the trace). */
  steps?: number[];
  /** Running slices the delta stream has carried so far (later deltas send only the ones after). */
  stepsStreamed?: number;
  error?: ErrorInfo;
  result?: string;
}

export const MAX_STEPS_PER_TASK = 64;

/** The shared empty edge list (most tasks never wait or are never awaited: no array per task). Never mutated. */
export const NO_EDGES: number[] = Object.freeze([]) as unknown as number[];

export function newConnection(index: number, sites: SiteRegistry): Connection {
  return {
    index,
    prefix: index === 0 ? '' : `p${index}:`,
    offset: 0,
    startEpochMs: undefined,
    threadId: undefined,
    sites: new SiteTable(sites),
    tasks: new Map(),
    loops: new Map(),
    process: undefined,
  };
}

/** The namespaced id of a local id on a connection. */
export function globalId(conn: Connection, local: number): string {
  return conn.prefix + local;
}

export function isLive(state: TaskState): boolean {
  return state === 'pending' || state === 'running' || state === 'queued';
}
