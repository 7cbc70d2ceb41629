/**
 * The timeline's lanes: one per shown task in creation order, and, for a program that ran as several
 * processes, grouped by process: a header lane per process (pid, program, state, its tasks' count), each
 * process under its parent as in the tree, its tasks in creation order under it. A folded process hides its
 * tasks and the processes under it. Pure: the TimelineView draws what this lists.
 */
import type { ProcessView, TaskView } from '../model/types';
import { processName, processStatus, type ProcessIndex } from '../shared/processes';
import { displayText } from './format';
import { laneOrder } from './timelineScale';

export type Lane =
  | { kind: 'task'; task: TaskView }
  | { kind: 'process'; process: ProcessView; depth: number; count: number; folded: boolean };

export function timelineLanes(tasks: Iterable<TaskView>, processes: ProcessIndex, folded: ReadonlySet<number>): Lane[] {
  const ordered = laneOrder(tasks);
  if (!processes.several) return ordered.map((task) => ({ kind: 'task', task }));
  const byProcess = new Map<ProcessView | undefined, TaskView[]>();
  for (const t of ordered) {
    const p = processes.of(t.id);
    const list = byProcess.get(p);
    if (list) list.push(t);
    else byProcess.set(p, [t]);
  }
  const lanes: Lane[] = [];
  const hidden = new Set<number>();
  for (const { process, depth } of processes.tree()) {
    const parent = processes.parentOf(process);
    if (parent && hidden.has(parent.pid)) {
      hidden.add(process.pid);
      continue;
    }
    const own = byProcess.get(process) ?? [];
    const isFolded = folded.has(process.pid);
    lanes.push({ kind: 'process', process, depth, count: own.length, folded: isFolded });
    if (isFolded) hidden.add(process.pid);
    else for (const task of own) lanes.push({ kind: 'task', task });
  }
  // Tasks of a connection no process claims (no hello pid): still shown, after the processes.
  for (const task of byProcess.get(undefined) ?? []) lanes.push({ kind: 'task', task });
  return lanes;
}

/**
 * The lane `by` before (-1) or after (1) the one the keyboard is on: the header of process `headerPid`, else the
 * selected task's lane (none shown: the first lane).
 */
export function laneAfter(lanes: readonly Lane[], headerPid: number | null, selectedId: string | undefined, by: -1 | 1): Lane | undefined {
  const i = lanes.findIndex((l) => (l.kind === 'process' ? l.process.pid === headerPid : headerPid === null && l.task.id === selectedId));
  return lanes[Math.max(0, Math.min(lanes.length - 1, i < 0 ? 0 : i + by))];
}

/** Each process's lanes, by pid: [its header lane's index, the next header's index or the end). */
export function processSpans(lanes: readonly Lane[]): Map<number, [number, number]> {
  const spans = new Map<number, [number, number]>();
  let open: [number, number] | undefined;
  lanes.forEach((lane, i) => {
    if (lane.kind !== 'process') return;
    if (open) open[1] = i;
    open = [i, lanes.length];
    spans.set(lane.process.pid, open);
  });
  return spans;
}

/**
 * A process header's text, as [title, detail]: "pid 4242 · cluster.js", "running · 3 tasks · node cluster.js"
 * (program strings as given, shortened; drawn as canvas text and listed as text, never markup).
 */
export function processLaneText(lane: Extract<Lane, { kind: 'process' }>): [string, string] {
  const p = lane.process;
  const count = `${lane.count} ${lane.count === 1 ? 'task' : 'tasks'}${lane.folded ? ', folded' : ''}`;
  return [`pid ${p.pid} · ${displayText(processName(p), 80)}`, `${processStatus(p)} · ${count} · ${displayText(p.command.join(' '), 200)}`];
}

/** The processes to unfold so that a task's lane shows: its process and the processes above it. */
export function foldersOf(id: string, processes: ProcessIndex): number[] {
  const out: number[] = [];
  for (let p = processes.several ? processes.of(id) : undefined, n = 0; p && n < processes.list.length; p = processes.parentOf(p), n++) {
    out.push(p.pid);
  }
  return out;
}
