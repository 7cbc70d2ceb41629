/** The human summary printed after the program ends: outcome, counts, task tree, flags. */
import { relative, isAbsolute } from 'node:path';
import type { Location, Report, ReportTask } from '../model/types';
import { TASK_STATES, type TaskState } from '../protocol/events';
import { flagKindInfo } from '../model/flag-kinds';
import { flagProcessLabel, processGroups } from './process-groups';
import { renderTree } from './tree';
import { displayText as text } from '../shared/display-text';

export interface SummaryOptions {
  cwd: string;
  color: boolean;
  timedOutAfterSec?: number;
  maxTreeLines?: number;
  /** `attach PID`: whether the inspector detached (the program runs on) or the program exited meanwhile. */
  attached?: 'detached' | 'exited';
}

const STATE_COLOR: Record<TaskState, number> = { queued: 36, pending: 33, running: 34, done: 32, failed: 31, cancelled: 90 };

export function formatSummary(report: Report, opts: SummaryOptions): string {
  const paint = (code: number, s: string) => (opts.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const bold = (s: string) => (opts.color ? `\x1b[1m${s}\x1b[0m` : s);
  const where = (loc: Location | null | undefined): string => {
    if (!loc) return '';
    const file = loc.file.startsWith('file://') ? decodeURIComponent(loc.file.slice(7)) : loc.file;
    const rel = isAbsolute(file) ? relative(opts.cwd, file) : file;
    const shown = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
    return `${text(shown)}:${loc.line}`;
  };

  const out: string[] = [];
  out.push(bold(`── Async Inspector ${'─'.repeat(40)}`));
  out.push(`${text(report.command.join(' '), 2000)}: ${outcome(report, opts)} after ${seconds(report.durationMs)}`);

  const total = TASK_STATES.reduce((n, s) => n + report.counts[s], 0);
  const parts = TASK_STATES.filter((s) => report.counts[s] > 0).map((s) => paint(STATE_COLOR[s], `${report.counts[s]} ${s}`));
  let countsLine = `Tasks: ${total} seen${parts.length ? ` — ${parts.join(', ')}` : ''}`;
  if (report.retiredTasks > 0) countsLine += ` (${report.retiredTasks} finished ones not kept)`;
  out.push(countsLine);
  const found = report.tasks.filter((t) => t.foundAtAttach).length;
  if (found > 0) {
    const unknown = report.tasks.filter((t) => t.foundAtAttach === 'unknown').length;
    out.push(
      `${found} of them already existed when the inspector attached ("found at attach"): less detail — no parent, no times ` +
        'before the attach, and ' +
        (unknown === found ? 'where they were created is not known.' : 'the async function\'s definition ("defined at") where the creation line was not kept.'),
    );
  }
  if (report.rejectedConnections) {
    out.push(paint(33, `Refused ${report.rejectedConnections} connections to the agent channel (no hello with the session token, or a process past the bound of 64 traced at once).`));
  }
  if (report.droppedEvents > 0) out.push(paint(33, `The agent dropped ${report.droppedEvents} events under load: some tasks may be missing.`));

  if (report.tasks.length > 0) {
    out.push('', bold('Task tree') + ' (nested by who started whom; state, name, created at):');
    const line = (t: ReportTask, repeat: number, indent: string, inside = 0): string => {
      const state = paint(STATE_COLOR[t.state], t.state.padEnd(9));
      const name = `${text(t.name) || '<anonymous>'}${repeat > 1 ? ` ×${repeat}` : ''}`;
      const extra: string[] = [];
      if (t.kind !== 'promise' && t.kind !== 'task') extra.push(t.kind);
      if (t.thread) extra.push(`on ${text(t.thread)}`);
      const site = where(t.created);
      const siteText = site && t.foundAtAttach === 'definition' ? `defined at ${site}` : site;
      let s = `${state} ${indent}${name}${extra.length ? ` [${extra.join(', ')}]` : ''}${siteText ? `  ${paint(90, siteText)}` : ''}`;
      if (t.foundAtAttach) s += paint(90, '  (found at attach)');
      if (inside > 0) s += paint(90, `  (+${inside} inside)`);
      if ((t.state === 'pending' || t.state === 'queued') && t.awaitAt) s += `  waiting at ${where(t.awaitAt)}`;
      if (t.error) s += `  ${paint(31, `${text(t.error.type)}: ${firstLine(t.error.message)}`)}`;
      return s;
    };
    const more = (text: string, indent: string) => `${' '.repeat(10)}${indent}${text}`;
    const treeOf = (tasks: ReportTask[], pad: string): string[] => {
      const lines: string[] = [];
      const tree = renderTree(tasks, { line, more, maxLines: opts.maxTreeLines ?? 40, maxGroupsPerParent: 12 });
      lines.push(...tree.lines.map((l) => `${pad}${l}`));
      // What is still live matters most: never let the cut-off hide it.
      const liveHidden = tasks.filter((t) => isLiveState(t.state) && !tree.shownIds.has(t.id));
      if (liveHidden.length > 0) {
        lines.push('', bold(`${pad.slice(2)}Also still ${liveHidden.length === 1 ? 'live' : `live (${liveHidden.length})`}:`));
        lines.push(...liveHidden.slice(0, 8).map((t) => `${pad}${line(t, 1, '', 0)}`));
        if (liveHidden.length > 8) lines.push(`${pad}… ${liveHidden.length - 8} more`);
      }
      return lines;
    };
    for (const group of processGroups(report)) {
      if (group.header === undefined) out.push(...treeOf(group.tasks, '  '));
      else out.push(`  ${bold(text(group.header, 2000))}`, ...treeOf(group.tasks, '    '));
    }
  }

  if (report.flags.length > 0) {
    out.push('', bold(`Flags (${report.flags.length}):`));
    for (const f of report.flags) {
      const loc = where(f.location);
      const proc = flagProcessLabel(report, f);
      out.push(`  ${paint(31, f.kind)}  ${loc ? `${loc}  ` : ''}${firstLine(f.message)}${proc ? paint(90, `  (${text(proc)})`) : ''}`);
      for (const frame of (f.stack ?? []).slice(1, 6)) out.push(`      at ${where(frame)}${frame.function ? ` (${text(frame.function)})` : ''}`);
    }
    out.push(...legend(report.flags.map((f) => f.kind)).map((l) => paint(90, l)));
  } else {
    out.push('', 'No flags.');
  }
  for (const e of report.agentErrors) out.push(paint(33, `agent: ${text(e, 2000)}`));
  return out.join('\n') + '\n';
}

/** What each kind found means and how to fix it, once per kind. */
function legend(kinds: readonly string[]): string[] {
  return [...new Set(kinds)].flatMap((kind) => {
    const info = flagKindInfo(kind);
    return info ? [`  ${kind}: ${info.explanation} ${info.fix}`] : [];
  });
}

function isLiveState(s: TaskState): boolean {
  return s === 'pending' || s === 'running' || s === 'queued';
}

function outcome(report: Report, opts: SummaryOptions): string {
  if (opts.attached === 'detached') return 'attached, then detached (the program keeps running)';
  if (opts.attached === 'exited') return 'attached; the program exited';
  if (opts.timedOutAfterSec !== undefined) return `stopped by --timeout ${opts.timedOutAfterSec}s`;
  if (report.signal) return `killed by ${report.signal}`;
  return report.exitCode === null ? 'ended' : `exited with code ${report.exitCode}`;
}

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** A program's message for one summary line: its first line, made safe for the terminal. */
function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return i < 0 ? text(s) : `${text(s.slice(0, i))} …`;
}
