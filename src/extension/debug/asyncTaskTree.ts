/**
 * What the "Async Tasks" view in Run and Debug lists, from what the Tasks view holds: the focused session's
 * tasks by loop / thread (the paused task first, then the live ones, then, once the program ended, the
 * final states), and each task's await chain, innermost await first, then who awaits it, up to the root
 * task. vscode-free and pure (test/debug/async-task-tree.test.ts); asyncTasksView.ts renders it.
 */
import type { Location, LoopView, SiteId, TaskView } from '../../model/types';

export interface TaskGroup {
  /** The loop's id, or '' for tasks of no named loop (the process's main thread). */
  id: string;
  label: string;
  tasks: TaskView[];
}

export interface ChainLink {
  task: TaskView;
  /** Where this task is parked (its await line), else where it was created. */
  at: Location | null;
  /** Its place in the chain: the innermost awaited thing, the selected task, or one awaiting it. */
  role: 'awaited' | 'self' | 'awaiter';
}

/** Finished tasks listed per group once the program ended (the Tasks view has them all). */
export const MAX_ENDED_PER_GROUP = 100;
const LIVE = new Set(['running', 'pending', 'queued']);

export function groupTasks(
  tasks: Iterable<TaskView>, loops: ReadonlyMap<string, LoopView>, pausedTask: string | null, ended: boolean,
): TaskGroup[] {
  const groups = new Map<string, TaskGroup>();
  for (const t of tasks) {
    const live = LIVE.has(t.state);
    if (!live && !ended) continue;
    const id = t.loop ?? '';
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { id, label: groupLabel(id, loops), tasks: [] }));
    g.tasks.push(t);
  }
  const rank = (t: TaskView): number => (t.id === pausedTask ? 0 : LIVE.has(t.state) ? 1 : 2);
  const out = [...groups.values()];
  for (const g of out) {
    g.tasks.sort((a, b) => rank(a) - rank(b) || kindRank(a) - kindRank(b) || a.createdAt - b.createdAt);
    const firstEnded = g.tasks.findIndex((t) => rank(t) === 2);
    if (firstEnded >= 0) g.tasks.length = Math.min(g.tasks.length, firstEnded + MAX_ENDED_PER_GROUP);
  }
  // The paused task's group first, then the main thread, then the others by name.
  const groupRank = (g: TaskGroup): number => (g.tasks[0]?.id === pausedTask ? 0 : g.id === '' ? 1 : 2);
  return out.sort((a, b) => groupRank(a) - groupRank(b) || a.label.localeCompare(b.label));
}

/** The program's own tasks (async functions, asyncio tasks) before what they wait on (timers, I/O, bare promises). */
function kindRank(t: TaskView): number {
  switch (t.kind) {
    case 'task':
      return 0;
    case 'promise':
      return /^(new Promise|Promise\.|\.then|\.catch|\.finally|promise$)/.test(t.name) ? 2 : 0;
    case 'executor':
    case 'future':
      return 1;
    default:
      return 2;
  }
}

function groupLabel(id: string, loops: ReadonlyMap<string, LoopView>): string {
  if (id === '') return 'main thread';
  const loop = loops.get(id);
  if (!loop) return id;
  return loop.thread && loop.thread !== loop.name ? `${loop.name} (${loop.thread})` : loop.name;
}

/**
 * `task`'s await chain, innermost first: what it waits on, down to the innermost pending thing; the task
 * itself; then who awaits it, up to the root task. Each task appears once (cycles stop the walk). `site`
 * resolves a SiteId through the site table.
 */
export function awaitChain(task: TaskView, byId: (id: string) => TaskView | undefined, site: SiteResolver): ChainLink[] {
  const link = (t: TaskView, role: ChainLink['role']): ChainLink => ({ task: t, role, at: whereIs(t, site) });
  const seen = new Set([task.id]);
  const down: ChainLink[] = [];
  for (let t = firstOf(task.awaiting, byId, seen); t; t = firstOf(t.awaiting, byId, seen)) down.push(link(t, 'awaited'));
  const up: ChainLink[] = [];
  for (let t = firstOf(task.awaitedBy, byId, seen); t; t = firstOf(t.awaitedBy, byId, seen)) up.push(link(t, 'awaiter'));
  return [...down.reverse(), link(task, 'self'), ...up];
}

function firstOf(ids: readonly string[], byId: (id: string) => TaskView | undefined, seen: Set<string>): TaskView | undefined {
  for (const id of ids) {
    const t = byId(id);
    if (t && !seen.has(id)) {
      seen.add(id);
      return t;
    }
  }
  return undefined;
}

type SiteResolver = (id: SiteId | null | undefined) => Location | null;

/** Where a task is: its current await line, else where it was created. */
export function whereIs(task: TaskView, site: SiteResolver): Location | null {
  return site(task.awaitAt) ?? site(task.created);
}
