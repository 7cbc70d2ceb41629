/**
 * Details of the selected task or flag under the tree. A flag: its whole message, where it points, the
 * task it concerns, its stack, what the kind means and how to fix it. A task: kind, state, thread, timings, result or error, what it
 * awaits and who awaits it, where it was created (with its stack) and where it waits now. Locations
 * open the editor; related tasks select that task. Refreshed with every update while selected.
 */
import type { FlagView, Location, ProcessView, SiteId, TaskView } from '../model/types';
import { processLabel, processStatus, type ProcessIndex } from '../shared/processes';
import type { SiteOf } from '../shared/store';
import { flagKindInfo, flagTitle } from './flagKinds';
import { displayText, formatDuration, fullLocation, shortLocation } from './format';
import { awaitUnknown } from './rewind';

export interface DetailsCallbacks {
  openLocation(loc: Location): void;
  selectTask(id: string): void;
  /** The program's processes (a task's or flag's process is shown when there are several). */
  processes(): ProcessIndex;
}

const MAX_STACK = 20;
const MAX_RELATED = 50;

export class DetailsView {
  private readonly root: HTMLElement;

  constructor(parent: HTMLElement, private readonly callbacks: DetailsCallbacks) {
    this.root = document.createElement('section');
    this.root.className = 'details';
    this.root.dataset.testid = 'task-details';
    this.root.setAttribute('aria-label', 'Selected task');
    this.root.hidden = true;
    parent.appendChild(this.root);
  }

  /** Shows `task` (undefined hides the pane); `site` resolves its SiteIds (the store's site table). */
  show(task: TaskView | undefined, tasks: ReadonlyMap<string, TaskView>, now: number, site: SiteOf): void {
    this.root.hidden = !task;
    this.root.replaceChildren();
    if (!task) return;
    const title = add(this.root, 'div', 'details-title');
    title.textContent = displayText(task.name || '(anonymous)');
    const facts = [task.kind, task.state, task.thread && `thread ${displayText(task.thread, 80)}`, task.loop && `loop ${displayText(task.loop, 40)}`];
    add(this.root, 'div', 'details-facts').textContent = facts.filter(Boolean).join(' · ');

    const grid = add(this.root, 'dl', 'details-grid');
    this.process(grid, this.callbacks.processes().of(task.id));
    if (task.foundAtAttach) {
      this.field(grid, 'Found at attach', (dd) => {
        add(dd, 'span', 'details-muted').textContent =
          'it existed before the inspector attached: less detail (no parent, no times before the attach' +
          (task.foundAtAttach === 'creation' ? ')' : ', and where it was created is not known)');
      });
    }
    const createdLabel = task.foundAtAttach === 'definition' ? 'Defined at' : 'Created at';
    const created = site(task.created);
    const awaitAt = site(task.awaitAt);
    if (created) this.field(grid, createdLabel, (dd) => this.location(dd, created));
    if (awaitAt) this.field(grid, 'Waiting at', (dd) => this.location(dd, awaitAt));
    // Rewound: pending then, but only its current await (and since when) is recorded.
    if (awaitUnknown(task)) this.field(grid, 'Waiting', (dd) => {
      add(dd, 'span', 'details-muted').textContent = 'on what is not known at this time';
    });
    if (task.parent !== null) this.field(grid, 'Started by', (dd) => this.tasks(dd, [task.parent!], tasks));
    if (task.awaiting.length > 0) this.field(grid, 'Awaits', (dd) => this.tasks(dd, task.awaiting, tasks));
    if (task.awaitedBy.length > 0) this.field(grid, 'Awaited by', (dd) => this.tasks(dd, task.awaitedBy, tasks));
    const children = childrenOf(task.id, tasks);
    if (children.length > 0) this.field(grid, `Started (${children.length})`, (dd) => this.tasks(dd, children, tasks));
    this.field(grid, 'Timings', (dd) => {
      dd.textContent = timings(task, now);
    });
    if (task.result !== undefined) this.field(grid, 'Result', (dd) => {
      dd.textContent = displayText(task.result!, 500);
    });
    if (task.error) {
      const error = task.error;
      this.field(grid, 'Error', (dd) => {
        dd.textContent = `${displayText(error.type, 100)}: ${displayText(error.message, 1000)}`;
      });
      // the canceller's stack: Python's cancel() call, Node's abort() call
      const where = error.type === 'CancelledError' || error.type === 'AbortError' ? 'Cancelled at' : 'Thrown at';
      const thrown = locations(error.stack, site);
      if (thrown.length) this.field(grid, where, (dd) => this.stack(dd, thrown));
    }
    const stack = locations(task.stack, site);
    if (stack.length) this.field(grid, 'Creation stack', (dd) => this.stack(dd, stack));
  }

  /** Shows a selected flag: everything its one-line row cannot. */
  showFlag(flag: FlagView, tasks: ReadonlyMap<string, TaskView>): void {
    this.root.hidden = false;
    this.root.replaceChildren();
    add(this.root, 'div', 'details-title').textContent = flagTitle(flag.kind);
    const task = flag.task !== null ? tasks.get(flag.task) : undefined;
    const facts = [
      `raised at ${formatDuration(flag.t) || '0 ms'}`, flag.durationMs !== undefined && `lasted ${formatDuration(flag.durationMs)}`,
      task?.thread && `thread ${displayText(task.thread, 80)}`, task?.loop && `loop ${displayText(task.loop, 40)}`,
    ];
    add(this.root, 'div', 'details-facts').textContent = facts.filter(Boolean).join(' · ');
    const grid = add(this.root, 'dl', 'details-grid');
    this.field(grid, 'Message', (dd) => {
      dd.textContent = displayText(flag.message, 2000);
    });
    this.process(grid, this.callbacks.processes().ofFlag(flag));
    if (flag.location) this.field(grid, 'At', (dd) => this.location(dd, flag.location!));
    if (flag.task !== null) this.field(grid, 'Task', (dd) => this.tasks(dd, [flag.task!], tasks));
    if (flag.stack?.length) this.field(grid, 'Stack', (dd) => this.stack(dd, flag.stack!));
    const info = flagKindInfo(flag.kind);
    if (info) {
      this.field(grid, 'Means', (dd) => {
        dd.textContent = info.explanation;
      });
      this.field(grid, 'Fix', (dd) => {
        dd.textContent = info.fix;
      });
    }
  }

  /** "pid 1234, worker.js · child of pid 1200 · exited with code 0", when the program ran as several processes. */
  private process(grid: HTMLElement, p: ProcessView | undefined): void {
    if (!p || !this.callbacks.processes().several) return;
    this.field(grid, 'Process', (dd) => {
      dd.dataset.testid = 'details-process';
      const parent = p.parentPid !== null ? `child of pid ${p.parentPid}` : '';
      dd.textContent = [displayText(processLabel(p), 200), parent, processStatus(p)].filter(Boolean).join(' · ');
    });
  }

  private field(grid: HTMLElement, label: string, fill: (dd: HTMLElement) => void): void {
    add(grid, 'dt', '').textContent = label;
    fill(add(grid, 'dd', ''));
  }

  private location(parent: HTMLElement, loc: Location): void {
    const link = add(parent, 'a', 'details-link');
    link.textContent = shortLocation(loc);
    link.title = fullLocation(loc);
    link.tabIndex = 0;
    link.setAttribute('role', 'link');
    activate(link, () => this.callbacks.openLocation(loc));
    if (loc.function) add(parent, 'span', 'details-muted').textContent = ` ${displayText(loc.function, 80)}`;
  }

  private stack(parent: HTMLElement, frames: Location[]): void {
    const list = add(parent, 'ol', 'details-stack');
    for (const frame of frames.slice(0, MAX_STACK)) this.location(add(list, 'li', ''), frame);
  }

  private tasks(parent: HTMLElement, ids: string[], tasks: ReadonlyMap<string, TaskView>): void {
    ids.slice(0, MAX_RELATED).forEach((id, i) => {
      if (i > 0) parent.append(', ');
      const t = tasks.get(id);
      if (!t) {
        add(parent, 'span', 'details-muted').textContent = `#${displayText(id, 40)} (retired)`;
        return;
      }
      const link = add(parent, 'a', 'details-link');
      link.textContent = displayText(t.name || '(anonymous)', 80);
      link.title = `${t.kind}, ${t.state}`;
      link.tabIndex = 0;
      link.setAttribute('role', 'link');
      activate(link, () => this.callbacks.selectTask(id));
    });
    if (ids.length > MAX_RELATED) parent.append(` +${ids.length - MAX_RELATED}`);
  }
}

/** Ids of the tasks `id` created (one pass; the details show one task at a time). */
/** A stack of SiteIds as the Locations the site table has. */
function locations(ids: readonly SiteId[] | undefined, site: SiteOf): Location[] {
  return (ids ?? []).flatMap((id) => site(id) ?? []);
}

function childrenOf(id: string, tasks: ReadonlyMap<string, TaskView>): string[] {
  const out: string[] = [];
  for (const t of tasks.values()) if (t.parent === id && t.id !== id) out.push(t.id);
  return out;
}

function timings(t: TaskView, now: number): string {
  const parts = [`created at ${formatDuration(t.createdAt) || '0 ms'}`];
  if (t.kind === 'executor') {
    parts.push(executorTimes(t, now));
    return parts.join(' · ');
  }
  if (t.startedAt !== undefined) parts.push(`first ran after ${formatDuration(t.startedAt - t.createdAt)}`);
  if (t.endedAt !== undefined) parts.push(`ended after ${formatDuration(t.endedAt - t.createdAt)}`);
  else parts.push(`alive for ${formatDuration(now - t.createdAt)}`);
  if (t.runMs !== undefined) {
    const life = (t.endedAt ?? now) - (t.startedAt ?? t.createdAt);
    const waiting = life - t.runMs;
    parts.push(`running ${formatDuration(t.runMs)} on the loop${waiting >= 0 ? `, waiting ${formatDuration(waiting)}` : ''}`);
  }
  return parts.join(' · ');
}

/**
 * An executor job runs in a worker thread, not on the loop: "ran 538 ms in thread asyncio_0 (queued 2 ms)".
 * Without a start time (a job that never ran, or a runtime that does not report it) only its life is known.
 */
function executorTimes(t: TaskView, now: number): string {
  const end = t.endedAt ?? now;
  const thread = t.thread ? ` in thread ${displayText(t.thread, 80)}` : '';
  if (t.startedAt === undefined) {
    return t.endedAt === undefined && t.state === 'queued'
      ? `queued for ${formatDuration(now - t.createdAt)}`
      : `${t.endedAt !== undefined ? 'ended after' : 'alive for'} ${formatDuration(end - t.createdAt)}${thread}`;
  }
  const ran = `${t.endedAt !== undefined ? 'ran' : 'running for'} ${formatDuration(end - t.startedAt)}`;
  return `${ran}${thread} (queued ${formatDuration(t.startedAt - t.createdAt)})`;
}

/** Click, Enter or Space runs the action (links here are script actions, not navigations). */
function activate(el: HTMLElement, action: () => void): void {
  el.addEventListener('click', (e) => {
    e.preventDefault();
    action();
  });
  el.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      action();
    }
  });
}

function add(parent: HTMLElement, tag: string, className: string): HTMLElement {
  const el = document.createElement(tag);
  if (className) el.className = className;
  parent.appendChild(el);
  return el;
}
