/**
 * Jump-to-source opens only files the program itself reported: a location of a task or flag the shown
 * session holds. The view is not trusted to name a file (a hostile task name can not make a click open
 * ~/.ssh/config), and a file the program never named has nothing to show for this session anyway.
 */
import type { Location } from '../model/types';
import type { SessionStore } from './store';

function* locationsOf(store: SessionStore): Iterable<Location | null | undefined> {
  for (const t of store.tasks.values()) {
    yield t.created;
    yield t.awaitAt;
    if (t.stack) yield* t.stack;
    if (t.error?.stack) yield* t.error.stack;
  }
  for (const f of store.flags.values()) {
    yield f.location;
    if (f.stack) yield* f.stack;
  }
}

/** Whether `file` is the file of some location the store holds (linear: asked once per click). */
export function isReportedFile(store: SessionStore, file: string): boolean {
  for (const loc of locationsOf(store)) if (loc?.file === file) return true;
  return false;
}
