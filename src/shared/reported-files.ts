/**
 * Jump-to-source opens only files the program itself reported: a site in the shown session's site table,
 * or a flag's location. The view is not trusted to name a file (a hostile task name can not make a click open
 * ~/.ssh/config), and a file the program never named has nothing to show for this session anyway.
 */
import type { Location } from '../model/types';
import type { SessionStore } from './store';

function* locationsOf(store: SessionStore): Iterable<Location | null | undefined> {
  // Every location a task names is in the site table (the program's agent defined it).
  yield* store.sites.values();
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
