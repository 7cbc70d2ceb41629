/**
 * Group by creation site: one row per site, most tasks first, with its tasks' states counted; a site is
 * folded until the user unfolds it, then lists its tasks (flat). 10,000 tasks from one line are one row.
 */
import { emptyCounts } from '../model/counts';
import type { Counts, Location, TaskView } from '../model/types';
import type { SiteOf } from '../shared/store';
import { addSection } from './rows';
import { siteKey, type Expansion, type Row, type Scope, type SectionRow } from './rowTypes';

/** One row per creation site, most tasks first; an unfolded site lists its tasks (flat). */
export function appendSites(
  rows: Row[], sections: SectionRow[], tasks: ReadonlyMap<string, TaskView>, expansion: Expansion, scope: Scope, site: SiteOf,
): void {
  if (tasks.size === 0) return;
  const sectionIndex = addSection(rows, sections, 'sites', tasks.size, expansion, scope);
  if (sectionIndex < 0) return;
  const groups = new Map<string, { site: Location | null; tasks: TaskView[]; states: Counts }>();
  for (const t of tasks.values()) {
    const created = site(t.created);
    const key = siteKey(created, scope.key);
    let g = groups.get(key);
    if (!g) {
      g = { site: created, tasks: [], states: emptyCounts() };
      groups.set(key, g);
    }
    g.tasks.push(t);
    g.states[t.state]++;
  }
  // Most tasks first; among equals, known sites by path and line, the unknown site last.
  const sorted = [...groups].sort((a, b) => b[1].tasks.length - a[1].tasks.length
    || Number(a[1].site === null) - Number(b[1].site === null) || (a[0] < b[0] ? -1 : 1));
  const expanded = expansion.expandedSites ?? new Set<string>();
  sorted.forEach(([key, g], i) => {
    const open = expanded.has(key);
    const index = rows.length;
    rows.push({
      kind: 'site', key, site: g.site, count: g.tasks.length, states: g.states, expanded: open, level: scope.base + 1,
      parentIndex: sectionIndex, pos: i + 1, size: sorted.length,
    });
    if (!open) return;
    g.tasks.forEach((task, k) => rows.push({
      kind: 'task', key: task.id, task, level: scope.base + 2, hasChildren: false, expanded: false, parentIndex: index, pos: k + 1, size: g.tasks.length,
    }));
  });
}
