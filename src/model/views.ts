/** Turns internal records into the shared, JSON-serialisable views (TaskView, ReportTask). */
import type { ReportTask, SiteId, TaskProgress, TaskView } from './types';
import type { TaskRecord } from './records';
import { globalId } from './records';
import type { SiteRegistry } from './sites';
import { locatedTask, reportTaskOf } from './task-shape';

function ids(rec: TaskRecord, locals: readonly number[]): string[] {
  return locals.map((l) => globalId(rec.conn, l));
}

function errorView(rec: TaskRecord): TaskView['error'] {
  const e = rec.more?.error;
  if (!e) return undefined;
  return e.stack ? { type: e.type, message: e.message, stack: rec.conn.sites.refs(e.stack) } : { type: e.type, message: e.message };
}

function awaitAt(rec: TaskRecord): SiteId | null | undefined {
  const at = rec.awaitSite;
  return at === undefined || at === null ? at : rec.conn.sites.ref(at);
}

/**
 * What can change about a task (TaskProgress). `stepsFrom` > 0 sends only the running slices after the
 * first `stepsFrom` (the receiver holds those); 0 sends them all, as a TaskView does.
 */
export function taskProgress(rec: TaskRecord, stepsFrom = 0): TaskProgress {
  const p: TaskProgress = {
    id: globalId(rec.conn, rec.local),
    name: rec.name,
    state: rec.state,
    awaiting: ids(rec, rec.awaiting),
    awaitedBy: ids(rec, rec.awaitedBy),
  };
  addOptionalProgress(rec, p, stepsFrom);
  return p;
}

export function taskView(rec: TaskRecord): TaskView {
  const { conn } = rec;
  const view: TaskView = {
    id: globalId(conn, rec.local),
    name: rec.name,
    kind: rec.kind,
    state: rec.state,
    parent: rec.parent === null ? null : globalId(conn, rec.parent),
    awaiting: ids(rec, rec.awaiting),
    awaitedBy: ids(rec, rec.awaitedBy),
    created: rec.site === null ? null : conn.sites.ref(rec.site),
    createdAt: rec.createdAt,
  };
  const stack = rec.more?.stack;
  if (stack) view.stack = conn.sites.refs(stack);
  if (rec.more?.foundAtAttach) view.foundAtAttach = rec.more.foundAtAttach;
  if (rec.loop !== undefined) view.loop = globalId(conn, rec.loop);
  addOptionalProgress(rec, view, 0);
  return view;
}

/** The optional fields that can change, shared by the whole record and the progress entry. */
function addOptionalProgress(rec: TaskRecord, p: TaskProgress, stepsFrom: number): void {
  const more = rec.more;
  const at = awaitAt(rec);
  if (at !== undefined) p.awaitAt = at;
  if (rec.awaitSince !== undefined) p.awaitSince = rec.awaitSince;
  if (more?.thread !== undefined) p.thread = more.thread;
  if (rec.startedAt !== undefined) p.startedAt = rec.startedAt;
  if (rec.endedAt !== undefined) p.endedAt = rec.endedAt;
  if (more?.runMs !== undefined) p.runMs = more.runMs;
  const error = errorView(rec);
  if (error) p.error = error;
  if (more?.result !== undefined) p.result = more.result;
  if (more?.steps) {
    if (stepsFrom > 0) p.stepsFrom = stepsFrom;
    if (more.steps.length > stepsFrom * 2) p.steps = stepPairs(more.steps, stepsFrom);
  }
}

/** The task with its sites resolved (what the lints look at). */
export function locatedView(rec: TaskRecord, sites: SiteRegistry): ReturnType<typeof locatedTask> {
  return locatedTask(taskView(rec), sites.location);
}

/** The report's record of a task. */
export function reportTask(rec: TaskRecord, sites: SiteRegistry): ReportTask {
  return reportTaskOf(taskView(rec), sites.location);
}

/** Running slices from pair `from` on, as [start, duration] pairs. */
function stepPairs(flat: number[], from = 0): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = from * 2; i < flat.length; i += 2) out.push([flat[i], flat[i + 1]]);
  return out;
}
