/**
 * InspectorModel: reduces agent messages from one or more connected processes into tasks, flags and
 * counts; hands out deltas (adapter → UI), snapshots and the end-of-run report. Pure: no I/O.
 */
import type { AgentEvent, AgentMessage, Runtime } from '../protocol/events';
import type { ModelDelta, Report, SessionInfo, TaskProgress, TaskView } from './types';
import type { TaskRecord } from './records';
import type { ProgramExit } from './lints/types';
import { END_OF_RUN_RULES, runLints } from './lints';
import { buildReport, exitCodeOf } from './report';
import { allTasks, connection, createState, type ModelState, type PausedAt } from './state';
import { endStoppedThread } from './stopped-threads';
import { noteMainExit, noteProcessExit, processFromHello, processViews } from './processes';
import { applyEvent } from './tasks';
import { locatedView, taskProgress, taskView } from './views';

/** What the report needs from its caller: the command, and what the channel refused or could not read. */
export interface ReportInfo {
  command: string[];
  runtime?: Runtime;
  rejectedConnections?: number;
  malformedLines?: number;
}

export interface ModelOptions {
  /** Finished tasks kept in memory; older ones are retired (still counted). Default 5000. */
  maxFinishedTasks?: number;
}

const MAX_AGENT_ERRORS = 100;
/** Connection numbers are small (one per traced process); anything beyond this is a caller's bug. */
const MAX_CONNECTIONS = 65_536;

export class InspectorModel {
  private readonly state: ModelState;
  private seq = 0;
  private session: SessionInfo | undefined;
  private exit: ProgramExit | undefined;
  private readonly agentErrors: string[] = [];
  /** What the main process's `bye` said about how it ended. */
  private mainDrained: boolean | undefined;

  constructor(opts: ModelOptions = {}) {
    const max = opts.maxFinishedTasks ?? 5000;
    this.state = createState(Number.isFinite(max) && max >= 0 ? Math.floor(max) : 5000);
  }

  get info(): SessionInfo | undefined {
    return this.session;
  }

  /**
   * The last debugger stop an agent announced (`paused` event): the task whose code is paused (null when
   * none was running) and a count that grows at every stop. Whether the program is still stopped is the
   * debug session's to say.
   */
  get paused(): PausedAt | undefined {
    return this.state.paused;
  }

  /** Events skipped because they were malformed. */
  get malformedEvents(): number {
    return this.state.malformed;
  }

  apply(conn: number, msg: AgentMessage): void {
    if (typeof msg !== 'object' || msg === null || !Number.isInteger(conn) || conn < 0 || conn >= MAX_CONNECTIONS) {
      this.state.malformed++;
      return;
    }
    const c = connection(this.state, conn);
    switch (msg.type) {
      case 'hello': {
        if (c.startEpochMs !== undefined) return; // one hello per connection
        if (typeof msg.startEpochMs !== 'number' || (msg.runtime !== 'node' && msg.runtime !== 'python')) {
          this.state.malformed++;
          return;
        }
        this.session ??= {
          runtime: msg.runtime,
          command: Array.isArray(msg.argv) ? msg.argv : [],
          pid: msg.pid,
          startEpochMs: msg.startEpochMs,
          ...(msg.attached === true ? { attached: true } : {}),
        };
        c.startEpochMs = msg.startEpochMs;
        c.offset = msg.startEpochMs - this.session.startEpochMs;
        if (typeof msg.threadId === 'number') c.threadId = msg.threadId;
        c.process = processFromHello(msg);
        if (c.process) this.state.changes.processChanged();
        return;
      }
      case 'batch': {
        if (typeof msg.dropped === 'number' && msg.dropped > 0) {
          this.state.dropped += msg.dropped;
          this.state.changes.changed = true;
        }
        const events: AgentEvent[] = Array.isArray(msg.events) ? msg.events : [];
        for (let i = 0; i < events.length; i++) {
          let ok: boolean;
          try {
            ok = applyEvent(this.state, c, events[i]);
          } catch {
            ok = false; // a shape no check foresaw: skip it, never break the session
          }
          if (!ok) this.state.malformed++;
        }
        return;
      }
      case 'agent-error': {
        const text = typeof msg.message === 'string' ? msg.message : String(msg.message);
        if (!this.agentErrors.includes(text) && this.agentErrors.length < MAX_AGENT_ERRORS) this.agentErrors.push(text);
        return;
      }
      case 'bye':
        if (typeof msg.t !== 'number') {
          this.state.malformed++;
          return;
        }
        if (msg.t + c.offset > this.state.now) this.state.now = msg.t + c.offset;
        if (conn === 0 && typeof msg.drained === 'boolean') this.mainDrained = msg.drained;
        if (noteProcessExit(c, msg.exitCode)) this.state.changes.processChanged();
        endStoppedThread(this.state, c, msg.t, msg.drained);
        return;
      default:
        this.state.malformed++;
    }
  }

  /**
   * The changes since the previous delta. A site goes once, in the first delta after it was defined (a task
   * may name it earlier or later: receivers resolve ids when they draw). A task goes out whole the first time, afterwards as progress
   * only (TaskProgress). That is safe because of this invariant of the delta stream: every receiver
   * starts from a reset (the adapter's snapshot, or the extension mirror's) and then applies every later
   * delta in order, so it holds the whole record of any task an earlier delta carried, unless a later one
   * removed it. A snapshot does not count as streaming a task: it goes to one new receiver only (the
   * mirror may never see it), so a task first shown by a snapshot still goes whole in the next delta.
   */
  takeDelta(): ModelDelta | null {
    if (!this.state.changes.changed) return null;
    const taken = this.state.changes.take();
    const upserts: TaskView[] = [];
    const progress: TaskProgress[] = [];
    for (const rec of taken.dirty) {
      if (rec.streamed) progress.push(taskProgress(rec, rec.more?.stepsStreamed ?? 0));
      else upserts.push(taskView(rec));
    }
    // Only once every view is built: a throw above must not mark records the receivers never got.
    for (const rec of taken.dirty) markStreamed(rec);
    return {
      seq: ++this.seq,
      reset: false,
      sites: this.state.sites.takeFresh(),
      upserts,
      progress,
      removed: taken.removed,
      flags: taken.flags,
      retractedFlags: taken.retracted,
      loops: taken.loops,
      ...(taken.processes ? { processes: processViews(this.state) } : {}),
      ...this.totals(),
    };
  }

  /** Everything held now (reset: true). Pending deltas are kept for takeDelta's consumer. */
  snapshot(): ModelDelta {
    const tasks = [...allTasks(this.state)];
    for (const rec of tasks) rec.sent = true;
    return {
      seq: ++this.seq,
      reset: true,
      sites: this.state.sites.all(),
      upserts: tasks.map(taskView),
      removed: [],
      flags: this.state.flags.all(),
      retractedFlags: [],
      loops: this.state.conns.flatMap((c) => (c ? [...c.loops.values()] : [])),
      ...this.processTree(),
      ...this.totals(),
    };
  }

  /** The process tree for a snapshot: whenever a process is known. */
  private processTree(): Pick<ModelDelta, 'processes'> {
    const processes = processViews(this.state);
    return processes.length > 0 ? { processes } : {};
  }

  /** The program ended: run the end-of-run lints once. */
  finish(exit: ProgramExit): void {
    if (this.exit) return;
    this.exit = {
      code: exit.code,
      signal: exit.signal,
      durationMs: exit.durationMs ?? this.state.now,
      drained: exit.drained ?? this.mainDrained,
    };
    if (noteMainExit(this.state, exitCodeOf(this.exit))) this.state.changes.processChanged();
    const tasks = [...allTasks(this.state)].map((rec) => locatedView(rec, this.state.sites));
    const loops = this.state.conns.flatMap((c) => (c ? [...c.loops.values()] : []));
    const ctx = {
      tasks,
      byId: new Map(tasks.map((t) => [t.id, t])),
      loops: new Map(loops.map((l) => [l.id, l])),
      flags: this.state.flags.all(),
      exit: this.exit,
      runtime: this.session?.runtime,
      now: this.state.now,
    };
    for (const flag of runLints(END_OF_RUN_RULES, ctx)) this.state.flags.add({ ...flag, t: this.state.now });
    this.state.changes.changed = true;
  }

  report(info: ReportInfo): Report {
    return buildReport(this.state, {
      runtime: info.runtime ?? this.session?.runtime ?? 'node',
      command: info.command,
      rejectedConnections: info.rejectedConnections ?? 0,
      malformedLines: info.malformedLines ?? 0,
      exit: this.exit,
      agentErrors: this.agentErrors,
    });
  }

  private totals(): Pick<ModelDelta, 'counts' | 'retired' | 'dropped' | 'now'> {
    return {
      counts: { ...this.state.counts },
      retired: this.state.retention.retired,
      dropped: this.state.dropped,
      now: this.state.now,
    };
  }
}

/** A delta carried the task: later deltas send its progress only (and only the running slices after these). */
function markStreamed(rec: TaskRecord): void {
  rec.sent = true;
  rec.streamed = true;
  const more = rec.more;
  if (more?.steps) more.stepsStreamed = more.steps.length / 2;
}
