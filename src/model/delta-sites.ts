/**
 * Deltas as they cross a process boundary (adapter → extension → webview): every source location a
 * task refers to (created, stack, awaitAt, error.stack) goes once into the delta's `sites` table and
 * is referred to by its index. The model shares one Location object per site, so within a delta the
 * same object is the same entry. Pure; shared by the adapter, the extension and the webview bundle.
 */
import type { Location, ModelDelta, TaskProgress, TaskView } from './types';

/**
 * The wire form of a ModelDelta: its tasks' location fields are indices into `sites`. Receivers read it
 * only through unpackDelta and then validate it (it is untrusted), so the records stay `unknown` here.
 */
export interface PackedDelta extends Omit<ModelDelta, 'upserts' | 'progress'> {
  sites: Location[];
  upserts: unknown[];
  progress?: unknown[];
}

export function packDelta(d: ModelDelta): PackedDelta {
  const sites: Location[] = [];
  const index = new Map<Location, number>();
  const ref = (loc: Location): number => {
    let i = index.get(loc);
    if (i === undefined) {
      i = sites.push(loc) - 1;
      index.set(loc, i);
    }
    return i;
  };
  const { progress, ...rest } = d;
  const packed: PackedDelta = { ...rest, sites, upserts: d.upserts.map((t) => packTask(t, ref)) };
  if (progress) packed.progress = progress.map((t) => packTask(t, ref));
  return packed;
}

function packTask(t: TaskProgress | TaskView, ref: (loc: Location) => number): unknown {
  const out: Record<string, unknown> = { ...t };
  const view = t as Partial<TaskView>;
  if (view.created) out.created = ref(view.created);
  if (view.stack) out.stack = view.stack.map(ref);
  if (t.awaitAt) out.awaitAt = ref(t.awaitAt);
  if (t.error?.stack) out.error = { ...t.error, stack: t.error.stack.map(ref) };
  return out;
}

/**
 * The delta with its site indices replaced by the table's entries (untrusted input, before validation).
 * Anything that does not resolve (an index out of range, a non-integer) is left as it was, so the
 * record validators reject that record as malformed; a `sites` that is not a list rejects the delta.
 * A delta without `sites` (a snapshot, one built from a file) is returned as it is.
 */
export function unpackDelta(v: unknown): unknown {
  if (typeof v !== 'object' || v === null || !('sites' in v)) return v;
  const { sites, ...rest } = v as { sites: unknown; upserts?: unknown; progress?: unknown };
  if (!Array.isArray(sites)) return undefined;
  const at = (x: unknown): unknown => (Number.isInteger(x) && (x as number) >= 0 && (x as number) < sites.length ? sites[x as number] : x);
  const list = (x: unknown): unknown => (Array.isArray(x) ? x.map(at) : x);
  const task = (t: unknown): unknown => {
    if (typeof t !== 'object' || t === null || Array.isArray(t)) return t;
    const r = t as Record<string, unknown>;
    const out: Record<string, unknown> = { ...r };
    if ('created' in r) out.created = at(r.created);
    if ('stack' in r) out.stack = list(r.stack);
    if ('awaitAt' in r) out.awaitAt = at(r.awaitAt);
    const error = r.error;
    if (typeof error === 'object' && error !== null && 'stack' in error) out.error = { ...error, stack: list((error as { stack: unknown }).stack) };
    return out;
  };
  const out: Record<string, unknown> = { ...rest };
  if (Array.isArray(rest.upserts)) out.upserts = rest.upserts.map(task);
  if (Array.isArray(rest.progress)) out.progress = rest.progress.map(task);
  return out;
}
