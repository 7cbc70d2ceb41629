/**
 * What the user folded in the tree, and how it changes: a row folded or unfolded, and everything that hides
 * a task unfolded to show it (its process and the process's ancestors, its section, its creating tasks or site).
 */
import type { TaskView } from '../model/types';
import type { ProcessIndex } from '../shared/processes';
import type { SiteOf } from '../shared/store';
import { processKey } from './rowsByProcess';
import { foldState, sectionKey, siteKey, type Expansion, type GroupBy, type Row } from './rowTypes';

export function emptyExpansion(): Expansion {
  return { collapsedSections: new Set(), collapsedTasks: new Set(), expandedSites: new Set(), collapsedKeys: new Set() };
}

/** Unfolds what hides `task`'s row when the shown `tasks` are grouped by `group`. */
export function unfoldTo(
  expansion: Expansion, task: TaskView, group: GroupBy, tasks: ReadonlyMap<string, TaskView>, processes: ProcessIndex,
  site: SiteOf,
): void {
  // In a process tree: its process and the process's ancestors unfolded, and its section in that process.
  const proc = processes.several ? processes.of(task.id) : undefined;
  const scope = proc ? `${proc.pid}:` : '';
  for (let p = proc, n = 0; p && n < processes.list.length; p = processes.parentOf(p), n++) {
    expansion.collapsedKeys?.delete(processKey(p.pid));
  }
  const unfold = (section: 'all' | 'sites' | typeof task.state): void => {
    if (proc) expansion.collapsedKeys?.delete(sectionKey(section, scope));
    else expansion.collapsedSections.delete(section);
  };
  switch (group) {
    case 'state':
    case 'creator': {
      unfold(group === 'state' ? task.state : 'all');
      const seen = new Set<string>();
      for (let p = task.parent; p !== null && !seen.has(p); p = tasks.get(p)?.parent ?? null) {
        seen.add(p);
        expansion.collapsedTasks.delete(p);
      }
      break;
    }
    case 'site':
      unfold('sites');
      expansion.expandedSites?.add(siteKey(site(task.created), scope));
      break;
    default: {
      const never: never = group;
      return never;
    }
  }
}

/**
 * Folds or unfolds a row that can (`expand` undefined: the other way); false when it cannot or already is.
 * Top sections fold by state, a process tree's rows by key, tasks by id; sites unfold by key (folded by default).
 */
export function setFold(expansion: Expansion, row: Row | undefined, expand?: boolean): boolean {
  const fold = row ? foldState(row) : 'none';
  if (!row || fold === 'none') return false;
  const want = expand ?? fold === 'collapsed';
  if (want === (fold === 'expanded')) return false;
  if (row.kind === 'process' || (row.kind === 'section' && row.parentIndex >= 0)) {
    setMember((expansion.collapsedKeys ??= new Set()), row.key, !want);
  } else if (row.kind === 'section') setMember(expansion.collapsedSections, row.state, !want);
  else if (row.kind === 'task') setMember(expansion.collapsedTasks, row.task.id, !want);
  else if (row.kind === 'site') setMember((expansion.expandedSites ??= new Set()), row.key, want);
  return true;
}

function setMember<T>(set: Set<T>, value: T, present: boolean): void {
  if (present) set.add(value);
  else set.delete(value);
}
