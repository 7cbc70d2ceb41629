/**
 * The rows that group tasks: a section header (a state, the flags, all tasks, the sites), a creation site with
 * its tasks' states counted, a process of the program, and an event loop of a process.
 */
import type { LoopRow, ProcessRow, SectionRow, SiteRow } from './rowTypes';
import { SECTION_ORDER, SECTION_TITLES } from './rowTypes';
import { processName, processStatus } from '../shared/processes';
import { displayText, formatCount, fullLocation, MAX_TOOLTIP_TEXT, shortLocation } from './format';
import { indentOf, setText, type RowCells, type RowContext } from './rowCells';

export const STATE_ICONS: Record<string, string> = {
  flags: 'warning', running: 'play-circle', pending: 'clock', queued: 'list-ordered', done: 'pass', failed: 'error', cancelled: 'circle-slash',
  all: 'list-tree', sites: 'location', processes: 'server-process',
};

export function fillSectionRow(c: RowCells, row: SectionRow): void {
  c.el.className = `row section state-${row.state}`;
  c.el.dataset.testid = 'section-header';
  c.el.dataset.section = row.state;
  c.forget('taskId', 'state', 'flagId', 'flagKind', 'siteKey', 'paused', 'pid', 'exited', 'exitCode');
  c.el.setAttribute('aria-level', String(row.level));
  c.el.setAttribute('aria-expanded', String(row.expanded));
  c.el.style.setProperty('--indent', `${indentOf(row.level - 1)}px`);
  c.setTwistie(true, row.expanded);
  c.setIcon(STATE_ICONS[row.state]);
  setText(c.name, SECTION_TITLES[row.state]);
  setText(c.site, '');
  setText(c.rel, '');
  setText(c.dur, formatCount(row.count));
  c.dur.dataset.testid = 'section-count';
  c.el.title = `${SECTION_TITLES[row.state]}: ${formatCount(row.count)}`;
}

export function fillSiteRow(c: RowCells, row: SiteRow): void {
  c.el.className = 'row site-group';
  c.el.dataset.testid = 'site-row';
  c.el.dataset.siteKey = row.key;
  c.forget('taskId', 'state', 'section', 'flagId', 'flagKind', 'paused', 'pid', 'exited', 'exitCode');
  c.el.setAttribute('aria-level', String(row.level + 1));
  c.el.setAttribute('aria-expanded', String(row.expanded));
  c.el.style.setProperty('--indent', `${indentOf(row.level)}px`);
  c.setTwistie(true, row.expanded);
  c.setIcon('location');
  setText(c.name, row.site ? shortLocation(row.site) : '(unknown site)');
  setText(c.site, row.site?.function ? displayText(row.site.function, 80) : '');
  const states = SECTION_ORDER.filter((s) => row.states[s] > 0).map((s) => `${formatCount(row.states[s])} ${s}`).join(' · ');
  setText(c.rel, states);
  setText(c.dur, formatCount(row.count));
  c.dur.dataset.testid = 'site-count';
  c.el.title = `${row.site ? fullLocation(row.site) : '(unknown site)'}\n${formatCount(row.count)} tasks: ${states}`;
}

/** A process: "pid 1234 · worker.js", its parent and whether it still runs, its command line; its tasks' count. */
export function fillProcessRow(c: RowCells, row: ProcessRow, ctx: RowContext): void {
  const proc = row.process;
  c.el.className = `row process${proc.exited ? ' exited' : ''}`;
  c.el.dataset.testid = 'process-row';
  c.el.dataset.pid = String(proc.pid);
  c.el.dataset.exited = String(proc.exited);
  if (proc.exitCode === null) delete c.el.dataset.exitCode;
  else c.el.dataset.exitCode = String(proc.exitCode);
  c.forget('taskId', 'state', 'section', 'flagId', 'flagKind', 'siteKey', 'paused');
  c.el.setAttribute('aria-level', String(row.level));
  c.el.setAttribute('aria-expanded', String(row.expanded));
  c.el.style.setProperty('--indent', `${indentOf(row.level - 1)}px`);
  c.setTwistie(true, row.expanded);
  c.setIcon(proc.exited ? 'debug-stop' : 'server-process');
  setText(c.name, `pid ${proc.pid} · ${displayText(processName(proc), 80)}`);
  // Its state first (short, and what matters most), then its parent and command line (clipped by the width).
  const parent = ctx.processes.parentOf(proc);
  const status = processStatus(proc);
  setText(c.site, status);
  setText(c.rel, `${parent ? `child of pid ${parent.pid} · ` : ''}${displayText(proc.command.join(' '), 200)}`);
  setText(c.dur, `${formatCount(row.count)} tasks`);
  c.dur.dataset.testid = 'process-count';
  c.el.title = [`process ${proc.pid}: ${displayText(proc.command.join(' '), MAX_TOOLTIP_TEXT)}`,
    proc.parentPid !== null ? `parent process: pid ${proc.parentPid}` : '', status].filter(Boolean).join('\n');
}

/** An event loop of a process and the thread it runs on. */
export function fillLoopRow(c: RowCells, row: LoopRow): void {
  c.el.className = 'row loop';
  c.el.dataset.testid = 'loop-row';
  c.forget('taskId', 'state', 'section', 'flagId', 'flagKind', 'siteKey', 'paused', 'pid', 'exited', 'exitCode');
  c.el.setAttribute('aria-level', String(row.level));
  c.el.removeAttribute('aria-expanded');
  c.el.style.setProperty('--indent', `${indentOf(row.level - 1)}px`);
  c.setTwistie(false, false);
  c.setIcon('sync');
  setText(c.name, displayText(row.loop.name, 80));
  setText(c.site, `event loop on thread ${displayText(row.loop.thread, 80)}`);
  setText(c.rel, '');
  setText(c.dur, '');
  delete c.dur.dataset.testid;
  c.el.title = `event loop ${displayText(row.loop.name, 200)} on thread ${displayText(row.loop.thread, 200)}`;
}
