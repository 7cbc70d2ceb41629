/**
 * The process tree of a program that ran as several processes: one row per process (under its parent
 * process), and under it its event loops and its tasks, grouped as the toolbar says (per process). A
 * process's rows are keyed and folded on their own ("#process:1234", "#section:1234:running").
 */
import type { LoopView, ProcessView, TaskView } from '../model/types';
import type { ProcessIndex } from '../shared/processes';
import type { SiteOf } from '../shared/store';
import { appendGrouped, isFolded } from './rows';
import { TOP_SCOPE, type Expansion, type GroupBy, type Row, type SectionRow } from './rowTypes';

export const processKey = (pid: number): string => `#process:${pid}`;

export function appendProcesses(
  rows: Row[], tasks: ReadonlyMap<string, TaskView>, expansion: Expansion, group: GroupBy, processes: ProcessIndex,
  loops: Iterable<LoopView>, site: SiteOf,
): void {
  const tasksOf = new Map<ProcessView, Map<string, TaskView>>();
  const unplaced = new Map<string, TaskView>();
  for (const t of tasks.values()) {
    const p = processes.of(t.id);
    if (!p) unplaced.set(t.id, t);
    else {
      let m = tasksOf.get(p);
      if (!m) tasksOf.set(p, (m = new Map()));
      m.set(t.id, t);
    }
  }
  const loopsOf = new Map<ProcessView, LoopView[]>();
  for (const l of loops) {
    const p = processes.of(l.id);
    if (p) loopsOf.set(p, [...(loopsOf.get(p) ?? []), l]);
  }
  const tree = processes.tree();
  const siblings = new Map<number | null, number>();
  for (const { process } of tree) siblings.set(parentKey(processes, process), (siblings.get(parentKey(processes, process)) ?? 0) + 1);
  const seenSiblings = new Map<number | null, number>();
  /** The row index of each shown process, and the processes hidden under a folded one. */
  const placed = new Map<number, number>();
  const hidden = new Set<number>();
  for (const { process, depth } of tree) {
    const parent = parentKey(processes, process);
    const pos = (seenSiblings.get(parent) ?? 0) + 1;
    seenSiblings.set(parent, pos);
    if (parent !== null && (hidden.has(parent) || !placed.has(parent))) {
      hidden.add(process.pid);
      continue;
    }
    const key = processKey(process.pid);
    const expanded = !isFolded(expansion, key, null, TOP_SCOPE);
    const own = tasksOf.get(process) ?? new Map<string, TaskView>();
    const index = rows.length;
    placed.set(process.pid, index);
    rows.push({
      kind: 'process', key, process, count: own.size, level: depth + 1, expanded,
      parentIndex: parent === null ? -1 : placed.get(parent)!, pos, size: siblings.get(parent) ?? 1,
    });
    if (!expanded) {
      hidden.add(process.pid);
      continue;
    }
    const processLoops = loopsOf.get(process) ?? [];
    processLoops.forEach((loop, i) => rows.push({
      kind: 'loop', key: `#loop:${loop.id}`, loop, level: depth + 2, parentIndex: index, pos: i + 1, size: processLoops.length,
    }));
    const sections: SectionRow[] = [];
    appendGrouped(rows, sections, own, null, expansion, group, { key: `${process.pid}:`, base: depth + 1, parentIndex: index }, site);
    sections.forEach((s, i) => { s.pos = i + 1; s.size = sections.length; });
  }
  // Tasks of a connection no process claims (no hello pid): still shown, at the top level.
  if (unplaced.size > 0) appendGrouped(rows, [], unplaced, null, expansion, group, TOP_SCOPE, site);
}

/** The pid of a process's traced parent (null: a root of the tree). */
function parentKey(processes: ProcessIndex, p: ProcessView): number | null {
  return processes.parentOf(p)?.pid ?? null;
}
