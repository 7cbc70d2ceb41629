/**
 * Flattens the tasks into the rows the tree shows: the flags first (when there are any), then the tasks
 * grouped one of three ways: one section per state (with counts), tasks nested under the task that
 * created them when that parent is in the same section; one tree of all tasks by creating task; or one
 * row per creation site with counts per state (10,000 tasks from one line are one row until unfolded).
 * The result is a flat array so the renderer can virtualize it (only visible rows reach the DOM).
 */
import type { TaskState } from '../protocol/events';
import type { Counts, FlagView, Location, TaskView } from '../model/types';
import { appendSites } from './rowsBySite';

/** Section order: what needs attention first. */
export const SECTION_ORDER: readonly TaskState[] = ['running', 'pending', 'queued', 'done', 'failed', 'cancelled'];

/** How the tasks are grouped: by state (sections), by creating task (one tree), by creation site. */
export type GroupBy = 'state' | 'creator' | 'site';
export const GROUPINGS: readonly GroupBy[] = ['state', 'creator', 'site'];

/** A section of the tree: the flags, the tasks in one state, all tasks (by creator), or the sites. */
export type SectionId = TaskState | 'flags' | 'all' | 'sites';
export const SECTION_IDS: readonly SectionId[] = ['flags', ...SECTION_ORDER, 'all', 'sites'];

export const SECTION_TITLES: Record<SectionId, string> = {
  flags: 'Flags', running: 'Running', pending: 'Pending', queued: 'Queued', done: 'Done', failed: 'Failed', cancelled: 'Cancelled',
  all: 'Tasks by creator', sites: 'Tasks by creation site',
};

export interface SectionRow {
  kind: 'section';
  key: string;
  state: SectionId;
  /** Session total for this state (retired tasks included), or the number of flags. */
  count: number;
  expanded: boolean;
  /** Position among its siblings (1-based) and their number, for aria-posinset/aria-setsize. */
  pos: number;
  size: number;
}

export interface TaskRow {
  kind: 'task';
  key: string;
  task: TaskView;
  /** 1 = top level inside its section. */
  level: number;
  hasChildren: boolean;
  expanded: boolean;
  /** Index of the row this one is nested under (its section header or parent task). */
  parentIndex: number;
  pos: number;
  size: number;
}

export interface FlagRow {
  kind: 'flag';
  key: string;
  flag: FlagView;
  level: 1;
  parentIndex: number;
  pos: number;
  size: number;
}

/** The tasks created at one site (group by site): folded by default. */
export interface SiteRow {
  kind: 'site';
  key: string;
  site: Location | null;
  count: number;
  /** How many of its tasks are in each state. */
  states: Counts;
  expanded: boolean;
  level: 1;
  parentIndex: number;
  pos: number;
  size: number;
}

export type Row = SectionRow | TaskRow | FlagRow | SiteRow;

/** What the user folded (sections, tasks) or unfolded (site groups, folded by default). */
export interface Expansion {
  collapsedSections: Set<SectionId>;
  collapsedTasks: Set<string>;
  expandedSites?: Set<string>;
}

/** Whether a row can fold (a section, a site, or a task with children) and whether it is unfolded now. */
export function foldState(row: Row): 'none' | 'expanded' | 'collapsed' {
  if (row.kind === 'flag' || (row.kind === 'task' && !row.hasChildren)) return 'none';
  return row.expanded ? 'expanded' : 'collapsed';
}

/** The key of a creation site (group by site). */
export function siteKey(loc: Location | null): string {
  return loc ? `#site:${loc.file}:${loc.line}` : '#site:';
}

/** The section a row belongs to. */
export function sectionOf(row: Row): SectionId {
  switch (row.kind) {
    case 'section':
      return row.state;
    case 'task':
      return row.task.state;
    case 'flag':
      return 'flags';
    case 'site':
      return 'sites';
    default: {
      const never: never = row;
      return never;
    }
  }
}

/** Row keys: a task's row is keyed by its id; section keys start with "#", which model ids ("12", "p2:12") never do. */
export const sectionKey = (state: SectionId): string => `#section:${state}`;
const flagKey = (id: string): string => `#flag:${id}`;

export function buildRows(
  tasks: ReadonlyMap<string, TaskView>, counts: Counts, expansion: Expansion, flags: readonly FlagView[] = [],
  group: GroupBy = 'state',
): Row[] {
  const rows: Row[] = [];
  const sections: SectionRow[] = [];
  appendFlags(rows, sections, flags, expansion);
  switch (group) {
    case 'state':
      appendStates(rows, sections, tasks, counts, expansion);
      break;
    case 'creator':
      appendCreators(rows, sections, tasks, expansion);
      break;
    case 'site':
      appendSites(rows, sections, tasks, expansion);
      break;
    default: {
      const never: never = group;
      throw new Error(`unknown grouping ${String(never)}`);
    }
  }
  sections.forEach((s, i) => { s.pos = i + 1; s.size = sections.length; });
  return rows;
}

function appendFlags(rows: Row[], sections: SectionRow[], flags: readonly FlagView[], expansion: Expansion): void {
  if (flags.length > 0) {
    const expanded = !expansion.collapsedSections.has('flags');
    sections.push({ kind: 'section', key: sectionKey('flags'), state: 'flags', count: flags.length, expanded, pos: 0, size: 0 });
    rows.push(sections[0]);
    if (expanded) {
      flags.forEach((flag, i) => rows.push({ kind: 'flag', key: flagKey(flag.id), flag, level: 1, parentIndex: 0, pos: i + 1, size: flags.length }));
    }
  }
}

/** Adds a section header; returns its index, or -1 when it is folded (nothing goes under it). */
export function addSection(rows: Row[], sections: SectionRow[], state: SectionId, count: number, expansion: Expansion): number {
  const expanded = !expansion.collapsedSections.has(state);
  const index = rows.length;
  const row: SectionRow = { kind: 'section', key: sectionKey(state), state, count, expanded, pos: 0, size: 0 };
  rows.push(row);
  sections.push(row);
  return expanded ? index : -1;
}

function appendStates(
  rows: Row[], sections: SectionRow[], tasks: ReadonlyMap<string, TaskView>, counts: Counts, expansion: Expansion,
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
    const count = Math.max(counts[state] ?? 0, list.length);
    if (count === 0) continue;
    const sectionIndex = addSection(rows, sections, state, count, expansion);
    if (sectionIndex >= 0) appendSection(rows, list, tasks, sectionIndex, expansion.collapsedTasks, sameState);
  }
}

/** One tree of every shown task, nested under the task that created it (whatever its state). */
function appendCreators(rows: Row[], sections: SectionRow[], tasks: ReadonlyMap<string, TaskView>, expansion: Expansion): void {
  if (tasks.size === 0) return;
  const sectionIndex = addSection(rows, sections, 'all', tasks.size, expansion);
  if (sectionIndex >= 0) appendSection(rows, [...tasks.values()], tasks, sectionIndex, expansion.collapsedTasks, () => true);
}

interface Frame {
  task: TaskView;
  level: number;
  parentIndex: number;
  /** Under a folded ancestor: walked (to be counted) but not shown. */
  hidden: boolean;
  pos: number;
  size: number;
}

/** Appends one section's tasks depth-first (iteratively: promise chains can be thousands deep). */
function appendSection(
  rows: Row[], list: TaskView[], tasks: ReadonlyMap<string, TaskView>, sectionIndex: number, collapsed: Set<string>,
  nests: (parent: TaskView, child: TaskView) => boolean,
): void {
  const children = new Map<string, TaskView[]>();
  const roots: TaskView[] = [];
  for (const t of list) {
    const p = t.parent;
    const parent = p !== null && p !== t.id ? tasks.get(p) : undefined;
    if (parent && nests(parent, t)) {
      const c = children.get(parent.id);
      if (c) c.push(t);
      else children.set(parent.id, [t]);
    } else {
      roots.push(t);
    }
  }
  const start = rows.length;
  // Fast path: parent links form a forest, so a walk from the roots meets every task exactly once.
  let seen = 0;
  for (let i = 0; i < roots.length; i++) seen += walk(rows, roots[i], i + 1, roots.length, sectionIndex, children, collapsed, null);
  if (seen === list.length) return;
  // Parent cycles (bad data) leave tasks unreachable from any root: walk again, guarded, and show them too.
  rows.length = start;
  const guard = new Set<string>();
  for (let i = 0; i < roots.length; i++) walk(rows, roots[i], i + 1, roots.length, sectionIndex, children, collapsed, guard);
  for (const t of list) if (!guard.has(t.id)) walk(rows, t, 1, 1, sectionIndex, children, collapsed, guard);
}

/**
 * Emits `root` and its expanded descendants; folded subtrees are walked without emitting (so the
 * caller can count every task). Returns how many tasks it met. `guard` stops revisits when not null.
 */
function walk(
  rows: Row[], root: TaskView, pos: number, size: number, sectionIndex: number,
  children: Map<string, TaskView[]>, collapsed: Set<string>, guard: Set<string> | null,
): number {
  let met = 0;
  const stack: Frame[] = [{ task: root, level: 1, parentIndex: sectionIndex, hidden: false, pos, size }];
  while (stack.length > 0) {
    const f = stack.pop()!;
    const task = f.task;
    if (guard) {
      if (guard.has(task.id)) continue;
      guard.add(task.id);
    }
    met++;
    const kids = children.get(task.id);
    const expanded = kids !== undefined && !f.hidden && !collapsed.has(task.id);
    const index = rows.length;
    if (!f.hidden) {
      rows.push({
        kind: 'task', key: task.id, task, level: f.level, hasChildren: kids !== undefined, expanded,
        parentIndex: f.parentIndex, pos: f.pos, size: f.size,
      });
    }
    if (!kids) continue;
    for (let i = kids.length - 1; i >= 0; i--) {
      stack.push({ task: kids[i], level: f.level + 1, parentIndex: index, hidden: !expanded, pos: i + 1, size: kids.length });
    }
  }
  return met;
}
