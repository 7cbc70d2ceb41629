/**
 * What a row of the task tree is: the sections and groupings, the six kinds of row (a discriminated union),
 * their keys, and what the user folded. rows.ts builds them, rowView.ts draws them.
 */
import type { TaskState } from '../protocol/events';
import type { Counts, FlagView, Location, LoopView, ProcessView, TaskView } from '../model/types';

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
export const flagKey = (id: string): string => `#flag:${id}`;

/** The key of a creation site (group by site), within a process's rows when `scope` says so. */
export function siteKey(loc: Location | null, scope = ''): string {
  return loc ? `#site:${scope}${loc.file}:${loc.line}` : `#site:${scope}`;
}
