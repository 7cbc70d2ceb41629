/**
 * Turns records into protocol events at each flush, with bounded volume:
 * - records created since the last flush ("fresh") are published one by one up to PUBLISH_CAP per flush;
 *   the rest that already ended are summed into `rollup` events, the rest still pending wait for a later flush;
 * - short-lived records of one shape (kind, name, site) are published one by one up to SHAPE_PER_SEC a second
 *   (shape-allowance.ts): a busy server's requests and their handlers' promises are rolled up past the first
 *   few, instead of 60 records a flush that the model ingests one by one. That is decided when a record ends:
 *   one past its shape's allowance is rolled up at once and leaves the fresh list, so a busy server's records
 *   die young instead of living until the next flush (2,500 requests per flush were kept alive: keeping them out
 *   of the list took a saturated `node:http` server from 1.18x to 1.09x throughput loss; GC not traced);
 * - published records send only their latest state at each flush (awaits and ends are coalesced), so a
 *   million awaits inside one task cost one `await` event per flush, not a million;
 * - the fresh list is compacted when it grows to FRESH_CAP (a microtask storm starves the flush timer);
 *   past that, new records are only counted when they end.
 */
import type { AgentEvent, TaskKind } from '../../protocol/events';
import { clock } from './clock';
import { RecordBit, isEnded, Rec, State } from './records';
import { Rollups, shownAncestor } from './rollups';
import { ShapeAllowance } from './shape-allowance';
import { takeNewSites } from './sites';

type Finding = Extract<AgentEvent, { e: 'finding' }>;
type Retract = Extract<AgentEvent, { e: 'retract' }>;
type Step = Extract<AgentEvent, { e: 'step' }>;
type Exited = Extract<AgentEvent, { e: 'exited' }>;

const PUBLISH_CAP = 60;
/** Running slices sent per flush at most (each publishes its task): the longest resumes of a busy program. */
const STEP_CAP = 100;
const FRESH_CAP = 100_000;
export class Publisher {
  /** @param loop the loop every record is created on, when it is not the process's main thread (a worker's). */
  constructor(private readonly loop?: number) {}

  /** Records by their `freshAt` index; null where one ended and was rolled up before the flush. */
  private fresh: (Rec | null)[] = [];
  private freshOpen = true;
  private dirty: Rec[] = [];
  private rollups = new Rollups();
  private out: AgentEvent[] = [];
  /** Findings and retractions since the last flush; a finding's task is published with it. */
  private notes: { event: Finding | Retract | Step | Exited; task: Rec | null }[] = [];
  private steps = 0;
  private shapes = new ShapeAllowance();
  private flushHooks: ((all: boolean) => void)[] = [];

  add(r: Rec): void {
    if (!this.freshOpen) return;
    r.flags |= RecordBit.InFresh;
    r.freshAt = this.fresh.push(r) - 1;
    if (this.fresh.length >= FRESH_CAP) this.compact();
  }

  /** A published record changed: send its new state at the next flush. */
  touch(r: Rec): void {
    if ((r.flags & (RecordBit.Published | RecordBit.Dirty)) === RecordBit.Published) {
      r.flags |= RecordBit.Dirty;
      this.dirty.push(r);
    }
  }

  ended(r: Rec): void {
    if ((r.flags & RecordBit.Published) !== 0) this.touch(r);
    else if ((r.flags & RecordBit.InFresh) === 0) this.rollUp(r);
    else if ((r.flags & RecordBit.Allowed) === 0 && this.shapes.spent(r.kind, shapeName(r), r.site)) {
      this.fresh[r.freshAt] = null;
      this.rollUp(r);
    }
  }

  /**
   * Something that ended without a record of its own (a served request in a storm: resources/served-requests.ts):
   * counted in its rollup (true), or false when its shape's allowance lets it be shown one by one; the caller then
   * makes its record, with `RecordBit.Allowed` (already counted).
   */
  endedUnrecorded(kind: TaskKind, family: string, site: number | null, ms: number, state: State): boolean {
    if (!this.shapes.spent(kind, family, site)) return false;
    this.rollups.count(kind, family, site, null, state, ms);
    return true;
  }

  /**
   * `fn` runs at the start of each flush (makes records for what is worth showing now); `all`: the program
   * stopped at a breakpoint or is exiting, so everything in flight is.
   */
  beforeFlush(fn: (all: boolean) => void): void {
    this.flushHooks.push(fn);
  }

  /** An unsampled promise (sharing its creator's marker) settled, or was made in a storm (counted then). */
  countUnsampled(marker: Rec, failed: boolean): void {
    this.rollups.countMarker(marker, failed);
  }

  /** A finding (flag) about `task`, a retraction, or a child process's end: sent at the next flush. */
  note(event: Finding | Retract | Exited, task: Rec | null = null): void {
    this.notes.push({ event, task });
  }

  /** The latest running slice noted (a stall the sampler missed is told by it: flags/unsampled-stall.ts). */
  lastStep: { task: Rec; t: number; dur: number } | null = null;

  /** A slice of time `task` held the loop (a stall it caused): sent at the next flush, publishing `task`. */
  noteStep(task: Rec, t: number, dur: number): void {
    this.lastStep = { task, t, dur };
    if (this.steps++ >= STEP_CAP) return;
    this.notes.push({ event: { e: 'step', id: task.id, t, dur }, task });
  }

  /**
   * Everything to send now, sites first. `paused`: a debugger stopped the program (pause.ts); the last
   * event says so, naming the paused task (published now if it was not yet). `final`: the program exits.
   */
  flush(paused?: { task: Rec | null }, final = false): AgentEvent[] {
    for (const fn of this.flushHooks) fn(final || paused !== undefined);
    this.out = [];
    let budget = PUBLISH_CAP;
    const carried: Rec[] = [];
    for (const r of this.fresh) {
      if (r === null || (r.flags & RecordBit.Published) !== 0) continue;
      // An ended one here is within its shape's allowance (ended() rolled up the others).
      if (budget > 0) {
        budget--;
        this.publish(r);
      } else if (isEnded(r)) this.rollUp(r);
      else {
        r.freshAt = carried.length;
        carried.push(r);
      }
    }
    this.fresh = carried;
    this.shapes.roll(clock.coarse);
    this.freshOpen = true;
    const dirty = this.dirty;
    this.dirty = [];
    for (const r of dirty) {
      r.flags &= ~RecordBit.Dirty;
      this.sendState(r);
    }
    for (const e of this.rollups.take((r) => this.idOf(r))) this.out.push(e);
    this.steps = 0;
    for (const { event, task } of this.notes.splice(0)) {
      if (event.e === 'finding' && task !== null) event.task = this.idOf(task);
      else if (event.e === 'step' && task !== null) this.idOf(task);
      this.out.push(event);
    }
    if (paused) this.out.push({ e: 'paused', task: paused.task !== null && isShowable(paused.task) ? this.idOf(paused.task) : null, t: clock.now() });
    const events = this.out;
    this.out = [];
    const sites = takeNewSites();
    return sites.length === 0 ? events : sites.concat(events);
  }

  private compact(): void {
    const kept: Rec[] = [];
    for (const r of this.fresh) {
      if (r === null || (r.flags & RecordBit.Published) !== 0) continue;
      if (isEnded(r)) this.rollUp(r);
      else {
        r.freshAt = kept.length;
        kept.push(r);
      }
    }
    this.fresh = kept;
    if (kept.length >= FRESH_CAP / 2) this.freshOpen = false;
  }

  private rollUp(r: Rec): void {
    r.flags = (r.flags & ~RecordBit.InFresh) | RecordBit.RolledUp;
    const ms = r.t1 > r.t0 ? r.t1 - r.t0 : 0;
    this.rollups.count(r.kind, shapeName(r), r.site, shownAncestor(r.parent), r.state, ms);
  }

  private idOf(r: Rec | null): number | null {
    if (r === null) return null;
    this.publish(r);
    return r.id;
  }

  /** Sends `create` (ancestors first) and the current state of `r`. */
  private publish(r: Rec): void {
    if ((r.flags & RecordBit.Published) !== 0) return;
    const chain: Rec[] = [];
    for (let a: Rec | null = r; a !== null && (a.flags & RecordBit.Published) === 0; a = a.parent) chain.push(a);
    for (let i = chain.length - 1; i >= 0; i--) {
      const c = chain[i];
      c.flags = (c.flags | RecordBit.Published) & ~(RecordBit.InFresh | RecordBit.Renamed);
      if (c.nameFn !== null) c.name = lateName(c);
      const create: AgentEvent = {
        e: 'create', id: c.id, kind: c.kind, name: c.name ?? 'promise', parent: c.parent === null ? null : c.parent.id,
        site: c.site, ...(c.more.stack !== null ? { stack: c.more.stack } : {}), t: c.t0,
        ...(c.more.attach !== null ? { attach: c.more.attach } : {}),
      };
      if (this.loop !== undefined) create.loop = this.loop;
      this.out.push(create);
      this.sendState(c);
    }
  }

  private sendState(r: Rec): void {
    if ((r.flags & RecordBit.EndSent) !== 0) return;
    if ((r.flags & RecordBit.Renamed) !== 0) {
      r.flags &= ~RecordBit.Renamed;
      if (r.name !== null) this.out.push({ e: 'name', id: r.id, name: r.name });
    }
    const m = r.more;
    if (isEnded(r)) {
      r.flags |= RecordBit.EndSent;
      const end: AgentEvent = { e: 'end', id: r.id, state: endState(r.state), t: r.t1 || clock.coarse };
      if (m.error !== null) end.error = m.error;
      if (m.result !== null) end.result = m.result;
      this.out.push(end);
      r.awaitOn = null;
      return;
    }
    if (r.state !== m.sentState) {
      m.sentState = r.state;
      this.out.push({ e: 'state', id: r.id, state: r.state === State.Running ? 'running' : 'pending', t: clock.coarse, ...(m.thread ? { thread: m.thread } : {}) });
    }
    if (r.awaitVer !== m.sentAwaitVer) {
      m.sentAwaitVer = r.awaitVer;
      const on: number[] = [];
      for (const a of r.awaitOn ?? []) {
        if ((a.flags & (RecordBit.Internal | RecordBit.RolledUp)) !== 0) continue;
        this.publish(a);
        on.push(a.id);
      }
      this.out.push({ e: 'await', id: r.id, on, site: m.awaitSite, t: m.awaitT });
    }
  }
}

/** The name its rollup and its shape's allowance know it by. */
function shapeName(r: Rec): string {
  return r.family ?? r.name ?? r.kind;
}

/** A record of its own (the shared markers of internal or unsampled promises have id 0). */
function isShowable(r: Rec): boolean {
  return r.id !== 0;
}

function lateName(r: Rec): string | null {
  const fn = r.nameFn;
  r.nameFn = null;
  try {
    return fn === null ? r.name : fn();
  } catch {
    return r.name;
  }
}

function endState(s: State): 'done' | 'failed' | 'cancelled' {
  return s === State.Failed ? 'failed' : s === State.Cancelled ? 'cancelled' : 'done';
}

