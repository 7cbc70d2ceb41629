/**
 * Reduction of agent events into task records. Every event is checked field by field: a malformed
 * event is skipped (the caller counts it), never thrown.
 */
import { ATTACH_ORIGINS, END_STATES, LIVE_STATES, type AgentEvent, type EndState, type LiveState, type TaskKind } from '../protocol/events';
import type { Connection, TaskRecord } from './records';
import { MAX_STEPS_PER_TASK, NO_EDGES, globalId, isLive } from './records';
import type { ModelState } from './state';
import { isErrorInfo, isNum, isNumArray, isNumOrNull, isOptNumArray, isStr } from './guards';
import { finding } from './findings';
import { noteChildExit } from './processes';

const ATTACH_ORIGIN = new Set<string>(ATTACH_ORIGINS);
const TASK_KINDS = new Set<string>(['task', 'promise', 'future', 'executor', 'timer', 'io', 'other']);
const LIVE = new Set<string>(LIVE_STATES);
const END = new Set<string>(END_STATES);

/** Applies one event; returns false when it was malformed and skipped. */
export function applyEvent(state: ModelState, conn: Connection, ev: AgentEvent): boolean {
  if (typeof ev !== 'object' || ev === null) return false;
  const t = (ev as { t?: unknown }).t;
  if (isNum(t) && t + conn.offset > state.now) state.now = t + conn.offset;
  switch (ev.e) {
    case 'site':
      if (!isNum(ev.id) || !isStr(ev.file) || !isNum(ev.line) || !isStr(ev.fn)) return false;
      conn.sites.set(ev.id, { file: ev.file, line: ev.line, ...(isNum(ev.col) ? { col: ev.col } : {}), function: ev.fn });
      state.changes.changed = true; // its table entry goes in the next delta
      return true;
    case 'loop': {
      if (!isNum(ev.id) || !isStr(ev.name) || !isStr(ev.thread)) return false;
      const view = { id: globalId(conn, ev.id), name: ev.name, thread: ev.thread };
      conn.loops.set(ev.id, view);
      state.changes.loopAdded(view);
      return true;
    }
    case 'create':
      return create(state, conn, ev);
    case 'name': {
      const rec = isNum(ev.id) ? conn.tasks.get(ev.id) : undefined;
      if (!rec || !isStr(ev.name)) return false;
      rec.name = ev.name;
      state.changes.touch(rec);
      return true;
    }
    case 'state':
      return setState(state, conn, ev.id, ev.state, ev.t, ev.thread);
    case 'await':
      return setAwait(state, conn, ev.id, ev.on, ev.site, ev.t);
    case 'step': {
      const rec = isNum(ev.id) ? conn.tasks.get(ev.id) : undefined;
      if (!rec || !isNum(ev.t) || !isNum(ev.dur)) return false;
      const at = ev.t + conn.offset;
      rec.startedAt ??= at;
      const more = (rec.more ??= {});
      more.stepMs = (more.stepMs ?? 0) + ev.dur;
      const steps = (more.steps ??= []);
      if (steps.length < MAX_STEPS_PER_TASK * 2) steps.push(at, ev.dur);
      if (at + ev.dur > state.now) state.now = at + ev.dur;
      state.changes.touch(rec);
      return true;
    }
    case 'end':
      return end(state, conn, ev);
    case 'rollup':
      return rollup(state, ev);
    case 'finding':
      return finding(state, conn, ev);
    case 'retract':
      if (!isStr(ev.key)) return false;
      state.flags.retract(conn.prefix + ev.key);
      return true;
    case 'exited':
      return noteChildExit(state, conn, ev.pid, ev.code);
    case 'paused':
      if (!isNumOrNull(ev.task)) return false;
      state.paused = { task: ev.task === null ? null : globalId(conn, ev.task), conn: conn.index, count: (state.paused?.count ?? 0) + 1 };
      return true;
    default: {
      const unknown: never = ev;
      void unknown;
      return false;
    }
  }
}

function create(state: ModelState, conn: Connection, ev: Extract<AgentEvent, { e: 'create' }>): boolean {
  if (!isNum(ev.id) || !isStr(ev.name) || !isNum(ev.t) || !TASK_KINDS.has(ev.kind as string)) return false;
  if (!isNumOrNull(ev.parent) || !isNumOrNull(ev.site) || !isOptNumArray(ev.stack)) return false;
  if (ev.loop !== undefined && !isNum(ev.loop)) return false;
  if (conn.tasks.has(ev.id)) return false;
  const attach = ATTACH_ORIGIN.has(ev.attach as string) ? ev.attach : undefined;
  const rec: TaskRecord = {
    conn,
    local: ev.id,
    name: ev.name,
    kind: ev.kind,
    state: 'pending',
    // A creator we never heard of (dropped, or retired) is shown as no parent.
    parent: ev.parent !== null && conn.tasks.has(ev.parent) ? ev.parent : null,
    awaiting: NO_EDGES,
    awaitedBy: NO_EDGES,
    site: ev.site,
    awaitSite: undefined,
    awaitSince: undefined,
    loop: ev.loop,
    createdAt: ev.t + conn.offset,
    startedAt: undefined,
    endedAt: undefined,
    more: ev.stack || attach ? { ...(ev.stack ? { stack: ev.stack } : {}), ...(attach ? { foundAtAttach: attach } : {}) } : undefined,
    mark: 0,
    sent: false,
    streamed: false,
    retired: false,
  };
  conn.tasks.set(ev.id, rec);
  state.counts.pending++;
  state.changes.touch(rec);
  return true;
}

function setState(state: ModelState, conn: Connection, id: unknown, to: unknown, t: unknown, thread: unknown): boolean {
  const rec = isNum(id) ? conn.tasks.get(id) : undefined;
  if (!rec || !isNum(t) || !LIVE.has(to as string) || !isLive(rec.state)) return false;
  if (thread !== undefined && !isStr(thread)) return false;
  const live = to as LiveState;
  state.counts[rec.state]--;
  state.counts[live]++;
  rec.state = live;
  if (live === 'running') {
    rec.startedAt ??= t + conn.offset;
    // Running means it is no longer parked on anything.
    unlinkAwaits(state, rec);
    rec.awaitSite = undefined;
    rec.awaitSince = undefined;
  }
  if (thread !== undefined) (rec.more ??= {}).thread = thread;
  state.changes.touch(rec);
  return true;
}

function setAwait(state: ModelState, conn: Connection, id: unknown, on: unknown, site: unknown, t: unknown): boolean {
  const rec = isNum(id) ? conn.tasks.get(id) : undefined;
  if (!rec || !isNum(t) || !isNumArray(on) || !isNumOrNull(site) || !isLive(rec.state)) return false;
  unlinkAwaits(state, rec);
  for (const target of on) {
    const other = conn.tasks.get(target);
    // Unknown targets (dropped or already retired) cannot be shown; keep the known ones.
    if (!other || other === rec) continue;
    if (rec.awaiting === NO_EDGES) rec.awaiting = [target];
    else rec.awaiting.push(target);
    if (other.awaitedBy === NO_EDGES) other.awaitedBy = [rec.local];
    else other.awaitedBy.push(rec.local);
    state.changes.touch(other);
  }
  rec.awaitSite = site;
  // When it began, so a rewound view can tell whether these links already held at an earlier time.
  rec.awaitSince = t + conn.offset;
  state.changes.touch(rec);
  return true;
}

/** Drops rec's outgoing await edges (and the matching awaitedBy entries). */
function unlinkAwaits(state: ModelState, rec: TaskRecord): void {
  if (rec.awaiting.length === 0) return;
  for (const target of rec.awaiting) {
    const other = rec.conn.tasks.get(target);
    if (!other) continue;
    const i = other.awaitedBy.indexOf(rec.local);
    if (i >= 0) other.awaitedBy.splice(i, 1);
    state.changes.touch(other);
  }
  rec.awaiting = NO_EDGES;
}

function end(state: ModelState, conn: Connection, ev: Extract<AgentEvent, { e: 'end' }>): boolean {
  const rec = isNum(ev.id) ? conn.tasks.get(ev.id) : undefined;
  if (!rec || !isNum(ev.t) || !END.has(ev.state as string) || !isLive(rec.state)) return false;
  if (ev.runMs !== undefined && !isNum(ev.runMs)) return false;
  if (ev.error !== undefined && !isErrorInfo(ev.error)) return false;
  if (ev.result !== undefined && !isStr(ev.result)) return false;
  const final = ev.state as EndState;
  state.counts[rec.state]--;
  state.counts[final]++;
  rec.state = final;
  rec.endedAt = ev.t + conn.offset;
  const runMs = ev.runMs ?? rec.more?.stepMs;
  if (runMs !== undefined || ev.error !== undefined || ev.result !== undefined) {
    const more = (rec.more ??= {});
    if (runMs !== undefined) more.runMs = runMs;
    if (ev.error !== undefined) more.error = ev.error;
    if (ev.result !== undefined) more.result = ev.result;
  }
  rec.awaitSite = undefined;
  rec.awaitSince = undefined;
  unlinkAwaits(state, rec);
  state.changes.touch(rec);
  state.retention.finished(rec);
  return true;
}

function rollup(state: ModelState, ev: Extract<AgentEvent, { e: 'rollup' }>): boolean {
  if (!isNum(ev.count) || !isNum(ev.failed) || !isNum(ev.cancelled) || !TASK_KINDS.has(ev.kind as TaskKind)) return false;
  if (ev.count < 0 || ev.failed < 0 || ev.cancelled < 0 || ev.failed + ev.cancelled > ev.count) return false;
  state.counts.done += ev.count - ev.failed - ev.cancelled;
  state.counts.failed += ev.failed;
  state.counts.cancelled += ev.cancelled;
  state.retention.retiredUnseen(ev.count);
  state.changes.changed = true;
  return true;
}
