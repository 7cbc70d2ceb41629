/** Turns internal records into the shared, JSON-serialisable views (TaskView, ReportTask). */
import type { Location, ReportTask, TaskView } from './types';
import type { TaskRecord } from './records';
import { globalId } from './records';

function ids(rec: TaskRecord, locals: readonly number[]): string[] {
  return locals.map((l) => globalId(rec.conn, l));
}

function errorView(rec: TaskRecord): TaskView['error'] {
  const e = rec.more?.error;
  if (!e) return undefined;
  const stack = rec.conn.sites.stack(e.stack);
  return stack ? { type: e.type, message: e.message, stack } : { type: e.type, message: e.message };
}

function awaitAt(rec: TaskRecord): Location | null | undefined {
  return rec.awaitSite === undefined ? undefined : rec.conn.sites.get(rec.awaitSite);
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
    created: conn.sites.get(rec.site),
    createdAt: rec.createdAt,
  };
  const more = rec.more;
  if (more?.stack) view.stack = conn.sites.stack(more.stack);
  const at = awaitAt(rec);
  if (at !== undefined) view.awaitAt = at;
  if (rec.awaitSince !== undefined) view.awaitSince = rec.awaitSince;
  if (rec.loop !== undefined) view.loop = globalId(conn, rec.loop);
  if (more?.thread !== undefined) view.thread = more.thread;
  if (rec.startedAt !== undefined) view.startedAt = rec.startedAt;
  if (rec.endedAt !== undefined) view.endedAt = rec.endedAt;
  if (more?.runMs !== undefined) view.runMs = more.runMs;
  const error = errorView(rec);
  if (error) view.error = error;
  if (more?.result !== undefined) view.result = more.result;
  if (more?.steps) view.steps = stepPairs(more.steps);
  return view;
}

/** The report's record of a task: the view without who-awaits-it (derivable), times as null when unknown. */
export function reportTask(rec: TaskRecord): ReportTask {
  const { awaitedBy: _awaitedBy, startedAt, endedAt, ...shared } = taskView(rec);
  return { ...shared, startedAt: startedAt ?? null, endedAt: endedAt ?? null };
}

function stepPairs(flat: number[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i], flat[i + 1]]);
  return out;
}
