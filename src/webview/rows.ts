/**
 * Flattens the tasks into the rows the tree shows: one section per state (with counts), and inside a
 * section the tasks nested under the task that created them when that parent is in the same section.
 * The result is a flat array so the renderer can virtualize it (only visible rows reach the DOM).
 */
import type { TaskState } from '../protocol/events';
import type { Counts, TaskView } from '../model/types';

/** Section order: what needs attention first. */
export const SECTION_ORDER: readonly TaskState[] = ['running', 'pending', 'queued', 'done', 'failed', 'cancelled'];

export const SECTION_TITLES: Record<TaskState, string> = {
  running: 'Running', pending: 'Pending', queued: 'Queued', done: 'Done', failed: 'Failed', cancelled: 'Cancelled',
};

export interface SectionRow {
  kind: 'section';
  key: string;
  state: TaskState;
  /** Session total for this state (retired tasks included). */
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

export type Row = SectionRow | TaskRow;

/** What the user folded; everything else is expanded. */
export interface Expansion {
  collapsedSections: Set<TaskState>;
  collapsedTasks: Set<string>;
}

export const sectionKey = (state: TaskState): string => `s:${state}`;
export const taskKey = (id: string): string => `t:${id}`;

export function buildRows(tasks: ReadonlyMap<string, TaskView>, counts: Counts, expansion: Expansion): Row[] {
  const bySection = new Map<TaskState, TaskView[]>();
  for (const t of tasks.values()) {
    let list = bySection.get(t.state);
    if (!list) bySection.set(t.state, (list = []));
    list.push(t);
  }
  const rows: Row[] = [];
  const sections: SectionRow[] = [];
  for (const state of SECTION_ORDER) {
    const list = bySection.get(state) ?? [];
    const count = Math.max(counts[state] ?? 0, list.length);
    if (count === 0) continue;
    const expanded = !expansion.collapsedSections.has(state);
    const sectionIndex = rows.length;
    rows.push({ kind: 'section', key: sectionKey(state), state, count, expanded, pos: 0, size: 0 });
    sections.push(rows[sectionIndex] as SectionRow);
    if (expanded) appendSection(rows, list, tasks, sectionIndex, expansion.collapsedTasks);
  }
  sections.forEach((s, i) => { s.pos = i + 1; s.size = sections.length; });
  return rows;
}

interface Frame {
  task: TaskView;
  level: number;
  parentIndex: number;
  /** Under a folded ancestor: walked (to mark it visited) but not shown. */
  hidden: boolean;
  pos: number;
  size: number;
}

/** Appends one section's tasks depth-first (iteratively: promise chains can be thousands deep). */
function appendSection(
  rows: Row[], list: TaskView[], tasks: ReadonlyMap<string, TaskView>, sectionIndex: number, collapsed: Set<string>,
): void {
  const children = new Map<string, TaskView[]>();
  const roots: TaskView[] = [];
  for (const t of list) {
    const p = t.parent;
    if (p !== null && p !== t.id && tasks.get(p)?.state === t.state) {
      let c = children.get(p);
      if (!c) children.set(p, (c = []));
      c.push(t);
    } else {
      roots.push(t);
    }
  }
  // Folded subtrees are walked too (marked, not emitted), so that only parent cycles stay unvisited.
  const visited = new Set<string>();
  const walk = (root: TaskView, pos: number, size: number): void => {
    const stack: Frame[] = [{ task: root, level: 1, parentIndex: sectionIndex, hidden: false, pos, size }];
    while (stack.length > 0) {
      const { task, level, parentIndex, hidden, pos, size } = stack.pop()!;
      if (visited.has(task.id)) continue;
      visited.add(task.id);
      const kids = children.get(task.id);
      if (!kids) {
        if (!hidden) rows.push({ kind: 'task', key: taskKey(task.id), task, level, hasChildren: false, expanded: false, parentIndex, pos, size });
        continue;
      }
      const expanded = !hidden && !collapsed.has(task.id);
      const index = rows.length;
      if (!hidden) rows.push({ kind: 'task', key: taskKey(task.id), task, level, hasChildren: true, expanded, parentIndex, pos, size });
      for (let i = kids.length - 1; i >= 0; i--) {
        stack.push({ task: kids[i], level: level + 1, parentIndex: index, hidden: !expanded, pos: i + 1, size: kids.length });
      }
    }
  };
  roots.forEach((r, i) => walk(r, i + 1, roots.length));
  // Parent cycles (bad data) leave tasks unreachable from any root: show them rather than lose them.
  for (const t of list) if (!visited.has(t.id)) walk(t, 1, 1);
}
