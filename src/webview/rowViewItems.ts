/**
 * The rows a click opens in the editor: a task (its name, creation site, what it awaits or is awaited by, its
 * duration; marked when a debugger is paused in it) and a flag (its message, site and the kind's explanation).
 */
import type { FlagRow, TaskRow } from './rowTypes';
import type { TaskView } from '../model/types';
import type { SiteOf } from '../shared/store';
import { withProcess } from '../shared/processes';
import { ERROR_KINDS, flagKindInfo, flagMessage } from './flagKinds';
import {
  displayText, formatDuration, fullLocation, MAX_TOOLTIP_TEXT, relationText, shortLocation, taskDuration,
} from './format';
import { INDENT_PX, indentOf, setText, type RowCells, type RowContext } from './rowCells';

const KIND_ICONS: Record<string, string> = {
  task: 'symbol-event', promise: 'symbol-method', future: 'circle-large-outline', executor: 'server-process',
  timer: 'watch', io: 'plug', other: 'circle-small',
};

export function fillTaskRow(c: RowCells, row: TaskRow, ctx: RowContext): void {
  const t = row.task;
  c.el.className = `row task state-${t.state}`;
  c.el.dataset.testid = 'task-row';
  c.el.dataset.taskId = t.id;
  c.el.dataset.state = t.state;
  c.forget('section', 'flagId', 'flagKind', 'siteKey', 'pid', 'exited', 'exitCode');
  c.el.setAttribute('aria-level', String(row.level + 1));
  if (row.hasChildren) c.el.setAttribute('aria-expanded', String(row.expanded));
  else c.el.removeAttribute('aria-expanded');
  c.el.style.setProperty('--indent', `${indentOf(row.level)}px`);
  c.setTwistie(row.hasChildren, row.expanded);
  c.setIcon(KIND_ICONS[t.kind] ?? KIND_ICONS.other);
  setText(c.name, displayText(t.name || '(anonymous)'));
  const created = ctx.site(t.created);
  const site = created ? shortLocation(created) : '';
  // Tasks from before an attach say so on their row: they have less detail (see the details pane).
  setText(c.site, t.foundAtAttach ? (site ? `found at attach · ${t.foundAtAttach === 'definition' ? 'def ' : ''}${site}` : 'found at attach') : site);
  setText(c.rel, relationLine(t, ctx));
  setText(c.dur, formatDuration(taskDuration(t, ctx.now)));
  delete c.dur.dataset.testid;
  c.el.title = tooltip(t, ctx.site);
  if (ctx.paused !== null && ctx.paused.task === t.id) {
    c.el.classList.add('paused');
    c.el.dataset.paused = 'true';
    c.setIcon('debug-stackframe');
    setText(c.rel, 'paused here');
  } else delete c.el.dataset.paused;
}

export function fillFlagRow(c: RowCells, row: FlagRow, ctx: RowContext): void {
  const f = row.flag;
  c.el.className = `row flag ${ERROR_KINDS.has(f.kind) ? 'flag-error' : 'flag-warning'}`;
  c.el.dataset.testid = 'flag-row';
  c.el.dataset.flagId = f.id;
  c.el.dataset.flagKind = f.kind;
  c.forget('taskId', 'state', 'section', 'siteKey', 'paused', 'pid', 'exited', 'exitCode');
  c.el.setAttribute('aria-level', '2');
  c.el.removeAttribute('aria-expanded');
  c.el.style.setProperty('--indent', `${INDENT_PX}px`);
  c.setTwistie(false, false);
  c.setIcon(ERROR_KINDS.has(f.kind) ? 'error' : 'warning');
  const message = withProcess(flagMessage(f), ctx.processes, f);
  setText(c.name, displayText(message));
  setText(c.site, f.location ? shortLocation(f.location) : '');
  const taskName = f.task !== null ? ctx.nameOf(f.task) : undefined;
  setText(c.rel, taskName !== undefined ? `task: ${displayText(taskName, 60)}` : '');
  setText(c.dur, '');
  delete c.dur.dataset.testid;
  const where = [f.location, ...(f.stack ?? []).filter((l) => l !== f.location).slice(0, 8)]
    .flatMap((l) => (l ? [`at ${fullLocation(l)}`] : []));
  const info = flagKindInfo(f.kind); // what the kind means and how to fix it, under the flag itself
  c.el.title = [displayText(message, MAX_TOOLTIP_TEXT), ...where, ...(info ? ['', info.explanation, info.fix] : [])].join('\n');
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
