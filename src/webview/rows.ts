/**
 * Flattens the tasks into the rows the tree shows: the flags first (when there are any), then the tasks
 * grouped one of three ways: one section per state (with counts), tasks nested under the task that
 * created them when that parent is in the same section; one tree of all tasks by creating task; or one
 * row per creation site with counts per state (10,000 tasks from one line are one row until unfolded).
 * The result is a flat array so the renderer can virtualize it (only visible rows reach the DOM).
 */
import type { TaskState } from '../protocol/events';
import type { Counts, FlagView, LoopView, TaskView } from '../model/types';
import type { ProcessIndex } from '../shared/processes';
import type { SiteOf } from '../shared/store';
import {
  flagKey, SECTION_ORDER, sectionKey, TOP_SCOPE, type Expansion, type GroupBy, type Row, type Scope, type SectionId,
  type SectionRow,
} from './rowTypes';
import { appendProcesses } from './rowsByProcess';
import { appendSites } from './rowsBySite';
import { appendTaskTree } from './taskTreeRows';

/** No site table: every task's site is unknown (groupings other than by site do not look). */
const noSites: SiteOf = () => null;

/**
 * The rows: the flags, then the tasks grouped by `group`. A program that ran as several processes
 * (`processes.several`) shows a process tree instead, each process with its loops and its tasks (grouped the
 * same way) under it. `site` resolves a task's SiteIds (the store's site table): grouping by site needs it.
 */
export function buildRows(
  tasks: ReadonlyMap<string, TaskView>, counts: Counts, expansion: Expansion, flags: readonly FlagView[] = [],
  group: GroupBy = 'state', processes?: ProcessIndex, loops: Iterable<LoopView> = [], site: SiteOf = noSites,
): Row[] {
  const rows: Row[] = [];
  const sections: SectionRow[] = [];
  appendFlags(rows, sections, flags, expansion);
  if (processes?.several) appendProcesses(rows, tasks, expansion, group, processes, loops, site);
  else appendGrouped(rows, sections, tasks, counts, expansion, group, TOP_SCOPE, site);
  sections.forEach((s, i) => { s.pos = i + 1; s.size = sections.length; });
  return rows;
}

/** The tasks grouped by `group` (state sections, the creator tree, or the sites) at `scope`. */
export function appendGrouped(
  rows: Row[], sections: SectionRow[], tasks: ReadonlyMap<string, TaskView>, counts: Counts | null, expansion: Expansion,
  group: GroupBy, scope: Scope, site: SiteOf,
): void {
  switch (group) {
    case 'state':
      appendStates(rows, sections, tasks, counts, expansion, scope);
      break;
    case 'creator':
      appendCreators(rows, sections, tasks, expansion, scope);
      break;
    case 'site':
      appendSites(rows, sections, tasks, expansion, scope, site);
      break;
    default: {
      const never: never = group;
      throw new Error(`unknown grouping ${String(never)}`);
    }
  }
}

function appendFlags(rows: Row[], sections: SectionRow[], flags: readonly FlagView[], expansion: Expansion): void {
  if (flags.length > 0) {
    const expanded = !expansion.collapsedSections.has('flags');
    sections.push({
      kind: 'section', key: sectionKey('flags'), state: 'flags', count: flags.length, expanded, level: 1, parentIndex: -1, pos: 0, size: 0,
    });
    rows.push(sections[0]);
    if (expanded) {
      flags.forEach((flag, i) => rows.push({ kind: 'flag', key: flagKey(flag.id), flag, level: 1, parentIndex: 0, pos: i + 1, size: flags.length }));
    }
  }
}

/** Whether a row the user can fold is folded: top sections by state, the rows of a process tree by key. */
export function isFolded(expansion: Expansion, key: string, state: SectionId | null, scope: Scope): boolean {
  return state !== null && scope.key === '' ? expansion.collapsedSections.has(state) : expansion.collapsedKeys?.has(key) === true;
}

/** Adds a section header; returns its index, or -1 when it is folded (nothing goes under it). */
export function addSection(
  rows: Row[], sections: SectionRow[], state: SectionId, count: number, expansion: Expansion, scope: Scope,
): number {
  const key = sectionKey(state, scope.key);
  const expanded = !isFolded(expansion, key, state, scope);
  const index = rows.length;
  const row: SectionRow = {
    kind: 'section', key, state, count, expanded, level: scope.base + 1, parentIndex: scope.parentIndex, pos: 0, size: 0,
  };
  rows.push(row);
  sections.push(row);
  return expanded ? index : -1;
}

function appendStates(
  rows: Row[], sections: SectionRow[], tasks: ReadonlyMap<string, TaskView>, counts: Counts | null, expansion: Expansion,
  scope: Scope,
): void {
  const bySection = new Map<TaskState, TaskView[]>();
  for (const t of tasks.values()) {
    let list = bySection.get(t.state);
    if (!list) bySection.set(t.state, (list = []));
    list.push(t);
  }
  const sameState = (parent: TaskView, child: TaskView): boolean => parent.state === child.state;
  for (const state of SECTION_ORDER) {
    const list = bySection.get(state) ?? [];
    const count = Math.max(counts?.[state] ?? 0, list.length);
    if (count === 0) continue;
    const sectionIndex = addSection(rows, sections, state, count, expansion, scope);
    if (sectionIndex >= 0) appendTaskTree(rows, list, tasks, sectionIndex, expansion.collapsedTasks, sameState, scope.base);
  }
}

/** One tree of every shown task, nested under the task that created it (whatever its state). */
function appendCreators(
  rows: Row[], sections: SectionRow[], tasks: ReadonlyMap<string, TaskView>, expansion: Expansion, scope: Scope,
): void {
  if (tasks.size === 0) return;
  const sectionIndex = addSection(rows, sections, 'all', tasks.size, expansion, scope);
  if (sectionIndex >= 0) appendTaskTree(rows, [...tasks.values()], tasks, sectionIndex, expansion.collapsedTasks, () => true, scope.base);
}
