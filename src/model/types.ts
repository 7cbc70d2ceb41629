/**
 * What the model exposes: the task view shared by the adapter (custom DAP events), the extension,
 * the webview, and the CLI report. Pure data, JSON-serialisable.
 */
import type { AttachOrigin, FlagKind, Runtime, TaskKind, TaskState } from '../protocol/events';
import type { Counts } from './counts';
import type { TASK_IDENTITY_FIELDS } from './task-shape';

export interface Location {
  file: string;
  line: number;
  col?: number;
  function: string;
}

/**
 * A source location as the model, deltas and the view hold it: a number, the same for every task that
 * refers to that place. Its Location comes once in a delta's `sites` (the site table); the view resolves it
 * when it draws. The report and the CLI carry resolved Locations (LocatedTask).
 */
export type SiteId = number;

/** A site table entry: a SiteId and the Location it stands for (the `sites` of a ModelDelta). */
export interface Site extends Location {
  id: SiteId;
}

/**
 * One task/promise/future/resource. `S` is how a source location is held: a SiteId in the model's views,
 * deltas and the view (TaskView), a Location in the report, the CLI and the lints (LocatedTask). Ids are
 * strings ("12", or "p2:12" for a second process).
 */
export interface TaskShape<S> {
  id: string;
  name: string;
  kind: TaskKind;
  state: TaskState;
  parent: string | null;
  /** Ids this task is waiting on right now (empty when it is not waiting or once it ended). */
  awaiting: string[];
  /** Ids of tasks waiting on this one. */
  awaitedBy: string[];
  created: S | null;
  /** Creation stack, innermost first (when captured). */
  stack?: S[];
  /**
   * It existed before the inspector attached, so it has less detail: no parent, no timings before the attach
   * (createdAt is the attach time), and `created` is its creation site, its async function's definition, or unknown.
   */
  foundAtAttach?: AttachOrigin;
  /** Where it is parked now (its current await line) while pending. */
  awaitAt?: S | null;
  /** Session time (ms) its current await began: `awaiting` and `awaitAt` hold since then (absent when not waiting, or unknown). */
  awaitSince?: number;
  loop?: string;
  /** Worker thread/process name for executor work. */
  thread?: string;
  createdAt: number;
  startedAt?: number;
  endedAt?: number;
  /** Time spent running on the loop, when measured. */
  runMs?: number;
  /** Running slices [startMs, durationMs], when known (a reopened saved session has them; for the timeline). */
  steps?: Array<[number, number]>;
  error?: { type: string; message: string; stack?: S[] };
  result?: string;
}

/** A task as deltas carry it and the view holds it: its source locations are SiteIds. */
export type TaskView = TaskShape<SiteId>;

/** A task with its source locations resolved (the report's tasks, the lints' view of the finished run). */
export type LocatedTask = TaskShape<Location>;

/** The TaskView fields fixed when the task is created: a delta's progress entry never repeats them. */
export type TaskIdentityField = (typeof TASK_IDENTITY_FIELDS)[number];

/**
 * A task an earlier delta already sent in full: its id and everything that can change, with TaskView's
 * meaning (absent = absent now). The receiver's record is its held identity fields + these.
 */
export interface TaskProgress extends Omit<TaskView, TaskIdentityField> {
  /**
   * Present: keep the first `stepsFrom` running slices already held and append `steps` (absent: none
   * new). Absent: `steps` is the whole list, as in a TaskView.
   */
  stepsFrom?: number;
}

export interface FlagView {
  /** Stable id for this flag within the session. */
  id: string;
  kind: FlagKind;
  message: string;
  location: Location | null;
  task: string | null;
  durationMs?: number;
  stack?: Location[];
  /** Session time (ms) when it was raised. */
  t: number;
  /** The pid of the process whose agent raised it (absent for end-of-run lints: their task's process is it). */
  pid?: number;
}

export interface LoopView {
  id: string;
  name: string;
  thread: string;
}

export type { Counts } from './counts';

/**
 * The change since the previous delta (adapter → extension → webview). Applying deltas in order to an
 * empty state reproduces the model's current state; `reset: true` means "replace everything you have".
 */
export interface ModelDelta {
  seq: number;
  reset: boolean;
  /**
   * Site table entries defined since the previous delta (a reset: every site known). Each goes once in the
   * stream; receivers keep them and resolve a task's SiteIds when they show it. Absent: none new.
   */
  sites?: Site[];
  /** Tasks created or changed since the previous delta (whole records). */
  upserts: TaskView[];
  /**
   * Changed tasks whose whole record an earlier delta already carried: only what can change. Applied
   * after `removed` and `upserts`. Absent in snapshots (reset) and in deltas built from files.
   */
  progress?: TaskProgress[];
  /** Tasks retired by retention since the previous delta (no longer held). */
  removed: string[];
  flags: FlagView[];
  /** Ids of flags withdrawn since the previous delta. */
  retractedFlags: string[];
  loops: LoopView[];
  /**
   * The whole process tree, when it changed since the previous delta (a process connected or ended); absent
   * when unchanged. A snapshot carries it whenever a process is known.
   */
  processes?: ProcessView[];
  /** Totals for the whole session, retired tasks included. */
  counts: Counts;
  /** Finished tasks dropped from memory by retention (still counted in `counts`). */
  retired: number;
  /** Events the agents reported as dropped. */
  dropped: number;
  /** Session clock (ms since the program started). */
  now: number;
}

export interface SessionInfo {
  runtime: Runtime;
  command: string[];
  pid?: number;
  startEpochMs: number;
  /** The inspector attached to a program that was already running (its tasks from before are "found at attach"). */
  attached?: boolean;
}

/** The JSON report of docs/architecture.md (`--json FILE`, Save Session). */
export interface Report {
  schema: 1;
  runtime: Runtime;
  command: string[];
  exitCode: number | null;
  /** The signal that ended the program, when it was killed (exitCode is then 128 + its number). */
  signal?: string | null;
  durationMs: number;
  droppedEvents: number;
  retiredTasks: number;
  counts: Counts;
  loops: LoopView[];
  tasks: ReportTask[];
  flags: ReportFlag[];
  agentErrors: string[];
  /**
   * Connections the agent channel refused (no hello with the session token first, a replayed hello, a
   * flood); absent when none.
   */
  rejectedConnections?: number;
  /**
   * The process tree, when the program ran as more than one traced process (absent for one): each process
   * in the order it connected. Its tasks and loops are those whose id starts with one of its `idPrefixes`.
   */
  processes?: ReportProcess[];
}

/**
 * A traced process as the view shows it: its tasks and loops are those whose id starts with one of its
 * `idPrefixes` ("" for the first process; Node worker threads add theirs).
 */
export interface ProcessView {
  pid: number;
  parentPid: number | null;
  command: string[];
  idPrefixes: string[];
  /** It ended (its agent said bye, its connection closed, or the launcher saw it exit). */
  exited: boolean;
  /** Null while unknown (running, or it ended without saying). */
  exitCode: number | null;
}

/** A traced process of the run (the report's `processes`). */
export interface ReportProcess {
  pid: number;
  parentPid: number | null;
  command: string[];
  /** Null while unknown (still running, or it ended without saying). */
  exitCode: number | null;
  /** "" for the first process (ids without a `pN:` prefix); Node worker threads add theirs. */
  idPrefixes: string[];
  /** How many tasks and loops of it the model holds. */
  tasks: number;
  loops: number;
}

/**
 * A task in the saved report: the LocatedTask without who awaits it (derivable from `awaiting`), its times
 * null when unknown. Older reports may lack the optional fields (awaitSince, stack, …).
 */
export interface ReportTask extends Omit<LocatedTask, 'awaitedBy' | 'startedAt' | 'endedAt'> {
  startedAt: number | null;
  endedAt: number | null;
}

export interface ReportFlag {
  kind: FlagKind;
  message: string;
  location: Location | null;
  task: string | null;
  durationMs?: number;
  stack?: Location[];
  /** Session time (ms) when it was raised. */
  t?: number;
  /** The pid of the process whose agent raised it (absent for end-of-run lints: their task's process is it). */
  pid?: number;
}
