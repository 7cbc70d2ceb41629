/**
 * Flattens the tasks into the rows the tree shows: the flags first (when there are any), then the tasks
 * grouped one of three ways: one section per state (with counts), tasks nested under the task that
 * created them when that parent is in the same section; one tree of all tasks by creating task; or one
 * row per creation site with counts per state (10,000 tasks from one line are one row until unfolded).
 * The result is a flat array so the renderer can virtualize it (only visible rows reach the DOM).
 */
import type { TaskState } from '../protocol/events';
import type { Counts, FlagView, Location, LoopView, ProcessView, TaskView } from '../model/types';
import type { ProcessIndex } from '../shared/processes';
import type { SiteOf } from '../shared/store';
import { appendProcesses } from './rowsByProcess';
import { appendSites } from './rowsBySite';

/** Section order: what needs attention first. */
export const SECTION_ORDER: readonly TaskState[] = ['running', 'pending', 'queued', 'done', 'failed', 'cancelled'];

/** How the tasks are grouped: by state (sections), by creating task (one tree), by creation site. */
export type GroupBy = 'state' | 'creator' | 'site';
export const GROUPINGS: readonly GroupBy[] = ['state', 'creator', 'site'];

/** A section of the tree: the flags, the tasks in one state, all tasks (by creator), the sites, or the processes. */
export type SectionId = TaskState | 'flags' | 'all' | 'sites' | 'processes';
export const SECTION_IDS: readonly SectionId[] = ['flags', ...SECTION_ORDER, 'all', 'sites'];

export const SECTION_TITLES: Record<SectionId, string> = {
  flags: 'Flags', running: 'Running', pending: 'Pending', queued: 'Queued', done: 'Done', failed: 'Failed', cancelled: 'Cancelled',
  all: 'Tasks by creator', sites: 'Tasks by creation site', processes: 'Processes',
};

export interface SectionRow {
  kind: 'section';
  key: string;
  state: SectionId;
  /** Session total for this state (retired tasks included), or the number of flags. */
  count: number;
  expanded: boolean;
  /** 1 at the top; one deeper than its process's row in a process tree. */
  level: number;
  /** Its process's row (-1: a top-level section). */
  parentIndex: number;
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

/** A process of the program (several processes: the tree's top rows, each under its parent process). */
export interface ProcessRow {
  kind: 'process';
  key: string;
  process: ProcessView;
  /** How many of its tasks are shown. */
  count: number;
  level: number;
  expanded: boolean;
  /** Its parent process's row (-1: a root). */
  parentIndex: number;
  pos: number;
  size: number;
}

/** An event loop (and its thread) of a process, under the process's row. */
export interface LoopRow {
  kind: 'loop';
  key: string;
  loop: LoopView;
  level: number;
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
  level: number;
  parentIndex: number;
  pos: number;
  size: number;
}

export type Row = SectionRow | TaskRow | FlagRow | SiteRow | ProcessRow | LoopRow;

/** What the user folded (sections, tasks) or unfolded (site groups, folded by default). */
export interface Expansion {
  collapsedSections: Set<SectionId>;
  collapsedTasks: Set<string>;
  expandedSites?: Set<string>;
  /** Folded rows of a process tree, by key: processes, and the sections inside a process. */
  collapsedKeys?: Set<string>;
}

/**
 * Where a grouping's rows go: at the top (`key` "", `base` 0, no parent), or inside a process's row (its
 * sections keyed and folded per process, one level deeper than the process).
 */
export interface Scope {
  key: string;
  base: number;
  parentIndex: number;
}

export const TOP_SCOPE: Scope = { key: '', base: 0, parentIndex: -1 };

/** Whether a row can fold (a section, a site, or a task with children) and whether it is unfolded now. */
export function foldState(row: Row): 'none' | 'expanded' | 'collapsed' {
  if (row.kind === 'flag' || row.kind === 'loop' || (row.kind === 'task' && !row.hasChildren)) return 'none';
  return row.expanded ? 'expanded' : 'collapsed';
}

/** The key of a creation site (group by site), within a process's rows when `scope` says so. */
export function siteKey(loc: Location | null, scope = ''): string {
  return loc ? `#site:${scope}${loc.file}:${loc.line}` : `#site:${scope}`;
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
    case 'process':
    case 'loop':
      return 'processes';
    default: {
      const never: never = row;
      return never;
    }
  }
}

/** Row keys: a task's row is keyed by its id; section keys start with "#", which model ids ("12", "p2:12") never do. */
export const sectionKey = (state: SectionId, scope = ''): string => `#section:${scope}${state}`;
const flagKey = (id: string): string => `#flag:${id}`;

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
    if (sectionIndex >= 0) appendSection(rows, list, tasks, sectionIndex, expansion.collapsedTasks, sameState, scope.base);
  }
}

/** One tree of every shown task, nested under the task that created it (whatever its state). */
function appendCreators(
  rows: Row[], sections: SectionRow[], tasks: ReadonlyMap<string, TaskView>, expansion: Expansion, scope: Scope,
): void {
  if (tasks.size === 0) return;
  const sectionIndex = addSection(rows, sections, 'all', tasks.size, expansion, scope);
  if (sectionIndex >= 0) appendSection(rows, [...tasks.values()], tasks, sectionIndex, expansion.collapsedTasks, () => true, scope.base);
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
  nests: (parent: TaskView, child: TaskView) => boolean, base: number,
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
  for (let i = 0; i < roots.length; i++) seen += walk(rows, roots[i], i + 1, roots.length, sectionIndex, children, collapsed, null, base);
  if (seen === list.length) return;
  // Parent cycles (bad data) leave tasks unreachable from any root: walk again, guarded, and show them too.
  rows.length = start;
  const guard = new Set<string>();
  for (let i = 0; i < roots.length; i++) walk(rows, roots[i], i + 1, roots.length, sectionIndex, children, collapsed, guard, base);
  for (const t of list) if (!guard.has(t.id)) walk(rows, t, 1, 1, sectionIndex, children, collapsed, guard, base);
}

/**
 * Emits `root` and its expanded descendants; folded subtrees are walked without emitting (so the
 * caller can count every task). Returns how many tasks it met. `guard` stops revisits when not null.
 */
function walk(
  rows: Row[], root: TaskView, pos: number, size: number, sectionIndex: number,
  children: Map<string, TaskView[]>, collapsed: Set<string>, guard: Set<string> | null, base: number,
): number {
  let met = 0;
  const stack: Frame[] = [{ task: root, level: base + 1, parentIndex: sectionIndex, hidden: false, pos, size }];
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
