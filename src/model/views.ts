/** Turns internal records into the shared, JSON-serialisable views (TaskView, ReportTask). */
import type { Location, ReportTask, TaskView } from './types';
import type { TaskRecord } from './records';
import { globalId } from './records';

function ids(rec: TaskRecord, locals: readonly number[]): string[] {
  return locals.map((l) => globalId(rec.conn, l));
}

function errorView(rec: TaskRecord): TaskView['error'] {
  const e = rec.error;
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
  if (rec.stack) view.stack = conn.sites.stack(rec.stack);
  const at = awaitAt(rec);
  if (at !== undefined) view.awaitAt = at;
  if (rec.loop !== undefined) view.loop = globalId(conn, rec.loop);
  if (rec.thread !== undefined) view.thread = rec.thread;
  if (rec.startedAt !== undefined) view.startedAt = rec.startedAt;
  if (rec.endedAt !== undefined) view.endedAt = rec.endedAt;
  if (rec.runMs !== undefined) view.runMs = rec.runMs;
  const error = errorView(rec);
  if (error) view.error = error;
  if (rec.result !== undefined) view.result = rec.result;
  return view;
}

export function reportTask(rec: TaskRecord): ReportTask {
  const { conn } = rec;
  const task: ReportTask = {
    id: globalId(conn, rec.local),
    name: rec.name,
    kind: rec.kind,
    state: rec.state,
    parent: rec.parent === null ? null : globalId(conn, rec.parent),
    awaiting: ids(rec, rec.awaiting),
    created: conn.sites.get(rec.site),
    createdAt: rec.createdAt,
    startedAt: rec.startedAt ?? null,
    endedAt: rec.endedAt ?? null,
  };
  const at = awaitAt(rec);
  if (at !== undefined) task.awaitAt = at;
  if (rec.loop !== undefined) task.loop = globalId(conn, rec.loop);
  if (rec.thread !== undefined) task.thread = rec.thread;
  if (rec.runMs !== undefined) task.runMs = rec.runMs;
  const error = errorView(rec);
  if (error) task.error = error;
  if (rec.result !== undefined) task.result = rec.result;
  if (rec.steps) task.steps = stepPairs(rec.steps);
  return task;
}

function stepPairs(flat: number[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i], flat[i + 1]]);
  return out;
}
