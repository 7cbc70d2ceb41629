/**
 * One row element of the tree (a section header or a task), created once and refilled as the virtual
 * window scrolls. Every program string goes through displayText() and is set with textContent only.
 */
import type { TaskView } from '../model/types';
import type { SiteOf } from '../shared/store';
import {
  displayText, formatCount, formatDuration, fullLocation, MAX_TOOLTIP_TEXT, relationText, shortLocation, taskDuration,
} from './format';
import { ERROR_KINDS, flagKindInfo, flagMessage } from './flagKinds';
import { processName, processStatus, withProcess, type ProcessIndex } from '../shared/processes';
import {
  SECTION_ORDER, SECTION_TITLES, type FlagRow, type LoopRow, type ProcessRow, type Row, type SectionRow, type SiteRow, type TaskRow,
} from './rowTypes';

export const ROW_HEIGHT = 22;
const INDENT_PX = 12;
/** Deeper nesting is still announced (aria-level) but no longer indented further. */
const MAX_VISUAL_DEPTH = 24;

const KIND_ICONS: Record<string, string> = {
  task: 'symbol-event', promise: 'symbol-method', future: 'circle-large-outline', executor: 'server-process',
  timer: 'watch', io: 'plug', other: 'circle-small',
};

export const STATE_ICONS: Record<string, string> = {
  flags: 'warning', running: 'play-circle', pending: 'clock', queued: 'list-ordered', done: 'pass', failed: 'error', cancelled: 'circle-slash',
  all: 'list-tree', sites: 'location', processes: 'server-process',
};

/** What a row needs besides its own data. */
export interface RowContext {
  now: number;
  nameOf(id: string): string | undefined;
  /** The site table's lookup: a task holds SiteIds. */
  site: SiteOf;
  selectedKey: string | null;
  /** A debugger holds the program: the paused task is marked, pending tasks show their await line. */
  paused: { task: string | null } | null;
  /** The program's processes: a flag names its process when there are several. */
  processes: ProcessIndex;
}

interface RowParts {
  el: HTMLElement;
  twistie: HTMLElement;
  icon: HTMLElement;
  name: HTMLElement;
  site: HTMLElement;
  rel: HTMLElement;
  dur: HTMLElement;
}

function span(parent: HTMLElement, className: string): HTMLElement {
  const s = document.createElement('span');
  s.className = className;
  parent.appendChild(s);
  return s;
}

export class RowView {
  private readonly parts: RowParts;
  private iconClass = '';

  constructor(parent: HTMLElement, readonly domId: string) {
    const el = document.createElement('div');
    el.id = domId;
    el.setAttribute('role', 'treeitem');
    const twistie = span(el, 'twistie codicon');
    const icon = span(el, 'icon codicon');
    const name = span(el, 'name');
    const site = span(el, 'site');
    const rel = span(el, 'rel');
    const dur = span(el, 'dur');
    parent.appendChild(el);
    this.parts = { el, twistie, icon, name, site, rel, dur };
  }

  get element(): HTMLElement {
    return this.parts.el;
  }

  /** Takes the element out of view, and out of every query for rows (no stale ids or states linger). */
  hide(): void {
    if (this.parts.el.hidden) return;
    this.parts.el.hidden = true;
    this.forget('key', 'index', 'testid', 'taskId', 'state', 'section', 'flagId', 'flagKind', 'siteKey', 'paused', 'pid', 'exited', 'exitCode');
    this.parts.el.removeAttribute('aria-selected');
  }

  fill(row: Row, index: number, ctx: RowContext): void {
    const { el } = this.parts;
    el.hidden = false;
    el.style.transform = `translateY(${index * ROW_HEIGHT}px)`;
    el.dataset.index = String(index);
    el.dataset.key = row.key;
    el.setAttribute('aria-selected', String(row.key === ctx.selectedKey));
    el.setAttribute('aria-posinset', String(row.pos));
    el.setAttribute('aria-setsize', String(row.size));
    switch (row.kind) {
      case 'section':
        return this.fillSection(row);
      case 'task':
        return this.fillTask(row, ctx);
      case 'flag':
        return this.fillFlag(row, ctx);
      case 'site':
        return this.fillSite(row);
      case 'process':
        return this.fillProcess(row, ctx);
      case 'loop':
        return this.fillLoop(row);
      default: {
        const never: never = row;
        return never;
      }
    }
  }

  private fillSection(row: SectionRow): void {
    const p = this.parts;
    p.el.className = `row section state-${row.state}`;
    p.el.dataset.testid = 'section-header';
    p.el.dataset.section = row.state;
    this.forget('taskId', 'state', 'flagId', 'flagKind', 'siteKey', 'paused', 'pid', 'exited', 'exitCode');
    p.el.setAttribute('aria-level', String(row.level));
    p.el.setAttribute('aria-expanded', String(row.expanded));
    p.el.style.setProperty('--indent', `${indentOf(row.level - 1)}px`);
    this.setTwistie(true, row.expanded);
    this.setIcon(STATE_ICONS[row.state]);
    setText(p.name, SECTION_TITLES[row.state]);
    setText(p.site, '');
    setText(p.rel, '');
    setText(p.dur, formatCount(row.count));
    p.dur.dataset.testid = 'section-count';
    p.el.title = `${SECTION_TITLES[row.state]}: ${formatCount(row.count)}`;
  }

  private fillTask(row: TaskRow, ctx: RowContext): void {
    const p = this.parts;
    const t = row.task;
    p.el.className = `row task state-${t.state}`;
    p.el.dataset.testid = 'task-row';
    p.el.dataset.taskId = t.id;
    p.el.dataset.state = t.state;
    this.forget('section', 'flagId', 'flagKind', 'siteKey', 'pid', 'exited', 'exitCode');
    p.el.setAttribute('aria-level', String(row.level + 1));
    if (row.hasChildren) p.el.setAttribute('aria-expanded', String(row.expanded));
    else p.el.removeAttribute('aria-expanded');
    p.el.style.setProperty('--indent', `${indentOf(row.level)}px`);
    this.setTwistie(row.hasChildren, row.expanded);
    this.setIcon(KIND_ICONS[t.kind] ?? KIND_ICONS.other);
    setText(p.name, displayText(t.name || '(anonymous)'));
    const created = ctx.site(t.created);
    const site = created ? shortLocation(created) : '';
    // Tasks from before an attach say so on their row: they have less detail (see the details pane).
    setText(p.site, t.foundAtAttach ? (site ? `found at attach · ${t.foundAtAttach === 'definition' ? 'def ' : ''}${site}` : 'found at attach') : site);
    setText(p.rel, relationLine(t, ctx));
    setText(p.dur, formatDuration(taskDuration(t, ctx.now)));
    delete p.dur.dataset.testid;
    p.el.title = tooltip(t, ctx.site);
    if (ctx.paused !== null && ctx.paused.task === t.id) {
      p.el.classList.add('paused');
      p.el.dataset.paused = 'true';
      this.setIcon('debug-stackframe');
      setText(p.rel, 'paused here');
    } else delete p.el.dataset.paused;
  }

  private fillFlag(row: FlagRow, ctx: RowContext): void {
    const p = this.parts;
    const f = row.flag;
    p.el.className = `row flag ${ERROR_KINDS.has(f.kind) ? 'flag-error' : 'flag-warning'}`;
    p.el.dataset.testid = 'flag-row';
    p.el.dataset.flagId = f.id;
    p.el.dataset.flagKind = f.kind;
    this.forget('taskId', 'state', 'section', 'siteKey', 'paused', 'pid', 'exited', 'exitCode');
    p.el.setAttribute('aria-level', '2');
    p.el.removeAttribute('aria-expanded');
    p.el.style.setProperty('--indent', `${INDENT_PX}px`);
    this.setTwistie(false, false);
    this.setIcon(ERROR_KINDS.has(f.kind) ? 'error' : 'warning');
    const message = withProcess(flagMessage(f), ctx.processes, f);
    setText(p.name, displayText(message));
    setText(p.site, f.location ? shortLocation(f.location) : '');
    const taskName = f.task !== null ? ctx.nameOf(f.task) : undefined;
    setText(p.rel, taskName !== undefined ? `task: ${displayText(taskName, 60)}` : '');
    setText(p.dur, '');
    delete p.dur.dataset.testid;
    const where = [f.location, ...(f.stack ?? []).filter((l) => l !== f.location).slice(0, 8)]
      .flatMap((l) => (l ? [`at ${fullLocation(l)}`] : []));
    const info = flagKindInfo(f.kind); // what the kind means and how to fix it, under the flag itself
    p.el.title = [displayText(message, MAX_TOOLTIP_TEXT), ...where, ...(info ? ['', info.explanation, info.fix] : [])].join('\n');
  }

  private fillSite(row: SiteRow): void {
    const p = this.parts;
    p.el.className = 'row site-group';
    p.el.dataset.testid = 'site-row';
    p.el.dataset.siteKey = row.key;
    this.forget('taskId', 'state', 'section', 'flagId', 'flagKind', 'paused', 'pid', 'exited', 'exitCode');
    p.el.setAttribute('aria-level', String(row.level + 1));
    p.el.setAttribute('aria-expanded', String(row.expanded));
    p.el.style.setProperty('--indent', `${indentOf(row.level)}px`);
    this.setTwistie(true, row.expanded);
    this.setIcon('location');
    setText(p.name, row.site ? shortLocation(row.site) : '(unknown site)');
    setText(p.site, row.site?.function ? displayText(row.site.function, 80) : '');
    const states = SECTION_ORDER.filter((s) => row.states[s] > 0).map((s) => `${formatCount(row.states[s])} ${s}`).join(' · ');
    setText(p.rel, states);
    setText(p.dur, formatCount(row.count));
    p.dur.dataset.testid = 'site-count';
    p.el.title = `${row.site ? fullLocation(row.site) : '(unknown site)'}\n${formatCount(row.count)} tasks: ${states}`;
  }

  /** A process: "pid 1234 · worker.js", its parent and whether it still runs, its command line; its tasks' count. */
  private fillProcess(row: ProcessRow, ctx: RowContext): void {
    const p = this.parts;
    const proc = row.process;
    p.el.className = `row process${proc.exited ? ' exited' : ''}`;
    p.el.dataset.testid = 'process-row';
    p.el.dataset.pid = String(proc.pid);
    p.el.dataset.exited = String(proc.exited);
    if (proc.exitCode === null) delete p.el.dataset.exitCode;
    else p.el.dataset.exitCode = String(proc.exitCode);
    this.forget('taskId', 'state', 'section', 'flagId', 'flagKind', 'siteKey', 'paused');
    p.el.setAttribute('aria-level', String(row.level));
    p.el.setAttribute('aria-expanded', String(row.expanded));
    p.el.style.setProperty('--indent', `${indentOf(row.level - 1)}px`);
    this.setTwistie(true, row.expanded);
    this.setIcon(proc.exited ? 'debug-stop' : 'server-process');
    setText(p.name, `pid ${proc.pid} · ${displayText(processName(proc), 80)}`);
    // Its state first (short, and what matters most), then its parent and command line (clipped by the width).
    const parent = ctx.processes.parentOf(proc);
    const status = processStatus(proc);
    setText(p.site, status);
    setText(p.rel, `${parent ? `child of pid ${parent.pid} · ` : ''}${displayText(proc.command.join(' '), 200)}`);
    setText(p.dur, `${formatCount(row.count)} tasks`);
    p.dur.dataset.testid = 'process-count';
    p.el.title = [`process ${proc.pid}: ${displayText(proc.command.join(' '), MAX_TOOLTIP_TEXT)}`,
      proc.parentPid !== null ? `parent process: pid ${proc.parentPid}` : '', status].filter(Boolean).join('\n');
  }

  /** An event loop of a process and the thread it runs on. */
  private fillLoop(row: LoopRow): void {
    const p = this.parts;
    p.el.className = 'row loop';
    p.el.dataset.testid = 'loop-row';
    this.forget('taskId', 'state', 'section', 'flagId', 'flagKind', 'siteKey', 'paused', 'pid', 'exited', 'exitCode');
    p.el.setAttribute('aria-level', String(row.level));
    p.el.removeAttribute('aria-expanded');
    p.el.style.setProperty('--indent', `${indentOf(row.level - 1)}px`);
    this.setTwistie(false, false);
    this.setIcon('sync');
    setText(p.name, displayText(row.loop.name, 80));
    setText(p.site, `event loop on thread ${displayText(row.loop.thread, 80)}`);
    setText(p.rel, '');
    setText(p.dur, '');
    delete p.dur.dataset.testid;
    p.el.title = `event loop ${displayText(row.loop.name, 200)} on thread ${displayText(row.loop.thread, 200)}`;
  }

  /** Removes data attributes that belong to other row kinds (the element is reused). */
  private forget(...keys: string[]): void {
    for (const k of keys) delete this.parts.el.dataset[k];
  }

  private setTwistie(visible: boolean, expanded: boolean): void {
    const cls = !visible ? 'twistie codicon' : `twistie codicon codicon-${expanded ? 'chevron-down' : 'chevron-right'}`;
    if (this.parts.twistie.className !== cls) this.parts.twistie.className = cls;
  }

  private setIcon(name: string): void {
    if (this.iconClass === name) return;
    this.iconClass = name;
    this.parts.icon.className = `icon codicon codicon-${name}`;
  }
}

function indentOf(depth: number): number {
  return Math.min(depth, MAX_VISUAL_DEPTH) * INDENT_PX;
}

function relationLine(t: TaskView, ctx: RowContext): string {
  // Stopped in a debugger: where each waiting task is parked is what the user reads first.
  const awaitAt = ctx.paused !== null && (t.state === 'pending' || t.state === 'queued') ? ctx.site(t.awaitAt) : null;
  if (awaitAt) {
    const on = t.awaiting.length > 0 ? `${relationText('awaits', t.awaiting, ctx.nameOf)} ` : '';
    return `${on}at ${shortLocation(awaitAt)}`;
  }
  if (t.awaiting.length > 0) return relationText('awaits', t.awaiting, ctx.nameOf);
  if (t.awaitedBy.length > 0) return relationText('awaited by', t.awaitedBy, ctx.nameOf);
  return '';
}

function tooltip(t: TaskView, site: SiteOf): string {
  const lines = [`${displayText(t.name, MAX_TOOLTIP_TEXT)} — ${t.kind}, ${t.state}`];
  if (t.foundAtAttach) lines.push('found at attach: it existed before the inspector attached (less detail)');
  const created = site(t.created);
  const awaitAt = site(t.awaitAt);
  if (created) lines.push(`${t.foundAtAttach === 'definition' ? 'defined' : 'created'} at ${fullLocation(created)}`);
  if (awaitAt) lines.push(`waiting at ${fullLocation(awaitAt)}`);
  if (t.thread) lines.push(`thread ${displayText(t.thread, 200)}`);
  if (t.error) lines.push(`${displayText(t.error.type, 200)}: ${displayText(t.error.message, MAX_TOOLTIP_TEXT)}`);
  return lines.join('\n');
}

/** Assigns text only when it changed (keeps layout work proportional to what moved). */
export function setText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}
