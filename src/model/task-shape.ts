/**
 * The one list of a task's fields, and the conversions between the shapes derived from TaskView: the
 * progress entry of a delta (TaskProgress), and the saved report's record (ReportTask). Adding a field to
 * TaskView fails to compile until it is listed here, and then every conversion carries it. Pure.
 */
import { MAX_STEPS_PER_TASK } from './records';
import type { LocatedTask, Location, ReportTask, SiteId, TaskProgress, TaskShape, TaskView } from './types';

/** Every field of a task (TaskShape), in the order records are built (one hidden class for the view's tasks). */
export const TASK_FIELDS = [
  'id', 'name', 'kind', 'state', 'parent', 'awaiting', 'awaitedBy', 'created', 'createdAt', 'stack', 'foundAtAttach',
  'loop', 'awaitAt', 'awaitSince', 'thread', 'startedAt', 'endedAt', 'runMs', 'error', 'result', 'steps',
] as const satisfies readonly (keyof TaskView)[];

/** The fields fixed at creation (TaskIdentityField): a progress entry never carries them. */
export const TASK_IDENTITY_FIELDS = [
  'kind', 'parent', 'created', 'createdAt', 'stack', 'loop', 'foundAtAttach',
] as const satisfies readonly (keyof TaskView)[];

type Unlisted<All, Listed> = Exclude<All, Listed> extends never ? true : ['not listed:', Exclude<All, Listed>];
const everyFieldListed: Unlisted<keyof TaskView, (typeof TASK_FIELDS)[number]> = true;
void everyFieldListed;

type Fields = Record<string, unknown>;

/**
 * A held task updated by a delta's progress entry: identity fields as held, the rest as the entry says
 * (absent = absent now). This runs for every progress entry in the view and the mirror: a for-in over the
 * entry is as fast as copying field by field (1M in ~0.5 s), a keyed loop over TASK_FIELDS was 4.5× slower
 * and rest-spreading the entry 50×.
 */
export function withProgress(held: TaskView, p: TaskProgress): TaskView {
  const t: Fields = { id: held.id, kind: held.kind, parent: held.parent, created: held.created, createdAt: held.createdAt };
  if (held.stack !== undefined) t.stack = held.stack;
  if (held.loop !== undefined) t.loop = held.loop;
  if (held.foundAtAttach !== undefined) t.foundAtAttach = held.foundAtAttach;
  const update = p as unknown as Fields;
  for (const f in update) if (f !== 'stepsFrom' && f !== 'id' && update[f] !== undefined) t[f] = update[f];
  if (p.stepsFrom !== undefined) t.steps = appendSteps(held.steps ?? [], p.stepsFrom, p.steps ?? []);
  return t as unknown as TaskView;
}

/** Fails to compile when TaskIdentityField gains a field withProgress above does not take from the held task. */
const identityTaken: Record<(typeof TASK_IDENTITY_FIELDS)[number], true> = {
  kind: true, parent: true, created: true, createdAt: true, stack: true, loop: true, foundAtAttach: true,
};
void identityTaken;

/**
 * The task with each source location mapped by `f`: SiteIds resolved through a site table (null when the
 * table has no entry: a stack leaves it out), or Locations interned into one.
 */
export function mapSites<A, B>(t: TaskShape<A>, f: (site: A) => B | null): TaskShape<B> {
  const out = { ...t } as unknown as Fields;
  if (t.created !== null && t.created !== undefined) out.created = f(t.created);
  if (t.stack) out.stack = mapStack(t.stack, f);
  if (t.awaitAt !== null && t.awaitAt !== undefined) out.awaitAt = f(t.awaitAt);
  if (t.error?.stack) out.error = { ...t.error, stack: mapStack(t.error.stack, f) };
  return out as unknown as TaskShape<B>;
}

function mapStack<A, B>(stack: readonly A[], f: (site: A) => B | null): B[] {
  const out: B[] = [];
  for (const s of stack) {
    const b = f(s);
    if (b !== null) out.push(b);
  }
  return out;
}

/** The task with its sites resolved (`site`: a site table's lookup). */
export function locatedTask(view: TaskView, site: (id: SiteId) => Location | null): LocatedTask {
  return mapSites(view, site);
}

/** The report's record of a task: sites resolved, who awaits it left out (derivable), unknown times as null. */
export function reportTaskOf(view: TaskView, site: (id: SiteId) => Location | null): ReportTask {
  const { awaitedBy: _awaitedBy, startedAt, endedAt, ...rest } = locatedTask(view, site);
  return { ...rest, startedAt: startedAt ?? null, endedAt: endedAt ?? null };
}

/**
 * A saved task back as a located task, with who awaits it (rebuilt from `awaiting`). Only TaskView's fields
 * are taken from the file, so nothing else a file holds reaches the view.
 */
export function locatedTaskOfReport(t: ReportTask, awaitedBy: string[]): LocatedTask {
  const from = t as unknown as Fields;
  const view: Fields = {};
  for (const f of TASK_FIELDS) {
    const v = f === 'awaitedBy' ? awaitedBy : from[f];
    if (v === undefined || (v === null && (f === 'startedAt' || f === 'endedAt'))) continue;
    view[f] = v;
  }
  return view as unknown as LocatedTask;
}

/** A saved task back as a view, its Locations interned into the view's site table (`intern`). */
export function taskViewOfReport(t: ReportTask, awaitedBy: string[], intern: (loc: Location) => SiteId): TaskView {
  return mapSites(locatedTaskOfReport(t, awaitedBy), intern);
}

/** The first `from` held slices, then the new ones, at most MAX_STEPS_PER_TASK like the model keeps. */
function appendSteps(held: Array<[number, number]>, from: number, added: Array<[number, number]>): Array<[number, number]> {
  return held.slice(0, from).concat(added).slice(0, MAX_STEPS_PER_TASK);
}
