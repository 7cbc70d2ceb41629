/**
 * The tasks of one section as a tree: each under the task that created it when `nests` says so, walked
 * depth-first into rows; a folded task's subtree is walked (to be counted) but not shown.
 */
import type { TaskView } from '../model/types';
import type { Row } from './rowTypes';

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
export function appendTaskTree(
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
