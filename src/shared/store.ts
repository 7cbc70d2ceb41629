/**
 * The state of one inspected session as the view shows it: tasks, flags, loops and totals, built by
 * applying the extension's messages in order. Pure; the webview renders from it, and the extension
 * keeps one as a mirror so a view opened after the program ended still shows the last session.
 */
import type {
  Counts, FlagView, Location, LoopView, ModelDelta, ProcessView, SessionInfo, SiteId, TaskProgress, TaskView,
} from '../model/types';
import { emptyCounts } from '../model/counts';
import { withProgress } from '../model/task-shape';
import type { ExitInfo, PausedView, SessionMessage } from './messages';

export type SessionStatus = 'idle' | 'running' | 'ended';

/** Resolves a SiteId through a site table (null: none, or not in the table). */
export type SiteOf = (id: SiteId | null | undefined) => Location | null;

/** What applying a message did: `needSnapshot` asks the caller to request a fresh snapshot. */
export type ApplyResult = 'applied' | 'stale' | 'needSnapshot';

export class SessionStore {
  session: SessionInfo | null = null;
  status: SessionStatus = 'idle';
  exit: ExitInfo | null = null;
  /** Where a debugger holds the program now (null while it runs, or without a debugger). */
  paused: PausedView | null = null;
  /** No session: the debug session in focus (this name) is not inspected. */
  uninspected: string | null = null;
  readonly tasks = new Map<string, TaskView>();
  readonly flags = new Map<string, FlagView>();
  readonly loops = new Map<string, LoopView>();
  /** The program's traced processes in the order they connected (the view shows a process tree for more than one). */
  processes: readonly ProcessView[] = [];
  /** The site table: every site the deltas carried. Tasks hold SiteIds; `site` resolves one when it is shown. */
  readonly sites = new Map<SiteId, Location>();
  counts: Counts = emptyCounts();
  retired = 0;
  dropped = 0;
  /** Session clock (ms since the program started) of the latest delta. */
  now = 0;
  seq = -1;
  /** Progress entries that did not match what is held: task unknown (skipped) or running slices missing (see applyProgress). */
  unmatchedProgress = 0;
  /** Bumped on every applied change; renderers compare it to skip work. */
  version = 0;

  apply(msg: SessionMessage): ApplyResult {
    switch (msg.type) {
      case 'reset':
        this.clear();
        this.session = msg.session;
        this.status = msg.session ? 'running' : 'idle';
        this.uninspected = msg.session ? null : msg.uninspected ?? null;
        break;
      case 'delta': {
        if (this.status === 'idle') return 'needSnapshot';
        if (!msg.delta.reset && msg.delta.seq < this.seq) return 'stale';
        this.applyDelta(msg.delta);
        break;
      }
      case 'paused':
        if (this.status !== 'running') return 'stale';
        this.paused = msg.paused;
        break;
      case 'ended':
        if (this.status === 'idle') return 'stale';
        this.paused = null;
        this.status = 'ended';
        this.exit = { exitCode: msg.exitCode, signal: msg.signal };
        break;
      default: {
        const never: never = msg;
        throw new Error(`unknown message ${String(never)}`);
      }
    }
    this.version++;
    return 'applied';
  }

  /** The Location of a SiteId (null: none, or not in the table). */
  readonly site: SiteOf = (id) => (id === null || id === undefined ? null : this.sites.get(id) ?? null);

  /** Everything held now, as one reset delta (what a newly opened view needs). */
  snapshot(): ModelDelta {
    return {
      seq: this.seq, reset: true,
      sites: [...this.sites].map(([id, loc]) => ({ id, ...loc })),
      upserts: [...this.tasks.values()], removed: [],
      flags: [...this.flags.values()], retractedFlags: [],
      loops: [...this.loops.values()],
      ...(this.processes.length > 0 ? { processes: [...this.processes] } : {}),
      counts: { ...this.counts }, retired: this.retired, dropped: this.dropped, now: this.now,
    };
  }

  private applyDelta(d: ModelDelta): void {
    if (d.reset) {
      this.tasks.clear();
      this.flags.clear();
      this.loops.clear();
      this.processes = [];
      this.sites.clear();
    }
    if (d.sites) {
      for (const { id, ...loc } of d.sites) this.sites.set(id, loc);
    }
    // Removals first: an id retired and then reused within one delta must end up held.
    for (const id of d.removed) this.tasks.delete(id);
    for (const t of d.upserts) this.tasks.set(t.id, t);
    if (d.progress) this.applyProgress(d.progress);
    for (const f of d.flags) this.flags.set(f.id, f);
    for (const id of d.retractedFlags) this.flags.delete(id);
    for (const l of d.loops) this.loops.set(l.id, l);
    if (d.processes) this.processes = d.processes;
    this.counts = d.counts;
    this.retired = d.retired;
    this.dropped = d.dropped;
    this.now = d.now;
    this.seq = d.seq;
  }

  /**
   * Progress entries update tasks an earlier delta sent whole. One for a task not held means this
   * store missed that delta (the stream's invariant, see InspectorModel.takeDelta, was broken): it is
   * counted and skipped, never turned into a half record.
   */
  private applyProgress(entries: readonly TaskProgress[]): void {
    for (const p of entries) {
      const held = this.tasks.get(p.id);
      if (!held) {
        this.unmatchedProgress++;
        continue;
      }
      if (p.stepsFrom !== undefined && p.stepsFrom > (held.steps?.length ?? 0)) this.unmatchedProgress++;
      this.tasks.set(p.id, withProgress(held, p));
    }
  }

  private clear(): void {
    this.session = null;
    this.status = 'idle';
    this.exit = null;
    this.paused = null;
    this.uninspected = null;
    this.tasks.clear();
    this.flags.clear();
    this.loops.clear();
    this.processes = [];
    this.sites.clear();
    this.counts = emptyCounts();
    this.retired = this.dropped = this.now = this.unmatchedProgress = 0;
    this.seq = -1;
  }
}
