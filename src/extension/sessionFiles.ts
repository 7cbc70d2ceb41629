/**
 * Saved sessions: the Report JSON of docs/architecture.md, both ways. A report becomes the view messages
 * that show it again without running anything (reset, one full delta, ended); the view's state becomes
 * a report (saving while the program still runs). A saved file is untrusted input: every task and flag
 * is checked with the same guards as live messages, and what fails is left out. vscode-free.
 */
import type { FlagView, Location, ModelDelta, ProcessView, Report, ReportProcess, ReportTask, SessionInfo, Site, SiteId } from '../model/types';
import { idPrefixOf } from '../model/processes';
import { emptyCounts } from '../model/counts';
import { locatedTaskOfReport, reportTaskOf, taskViewOfReport } from '../model/task-shape';
import { reportFlag } from '../model/report';
import { toChromeTrace, type ChromeTrace } from '../model/trace';
import { isArrayOf, isNullable, isNumber, isOneOf, isRecord, isString, type Json } from '../shared/guards';
import type { SessionMessage } from '../shared/messages';
import { isCounts, isFlagView, isLocatedTask, isLoopView, isProcessView, MAX_PROCESSES } from '../shared/modelGuards';
import type { SessionStore } from '../shared/store';

export type ParsedReport = { ok: true; report: Report; skipped: number } | { ok: false; error: string };

/** The largest file Open Session reads (a 100k-task report is ~40 MB). */
export const MAX_REPORT_BYTES = 512 * 1024 * 1024;

const isRuntime = isOneOf(['node', 'python'] as const);

export function parseReport(text: string): ParsedReport {
  let data: Json;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `not JSON (${(err as Error).message})` };
  }
  if (!isRecord(data) || data.schema !== 1) return { ok: false, error: 'not an Async Inspector report (schema 1)' };
  if (!isRuntime(data.runtime) || !isArrayOf(data.command, isString) || !Array.isArray(data.tasks) || !Array.isArray(data.flags)) {
    return { ok: false, error: 'the report has no runtime, command, tasks or flags' };
  }
  const tasks = data.tasks.filter(isReportTask);
  const flags = data.flags.filter(isReportFlagLike);
  const loops = Array.isArray(data.loops) ? data.loops.filter(isLoopView) : [];
  const report: Report = {
    schema: 1,
    runtime: data.runtime,
    command: data.command,
    exitCode: isNullable(data.exitCode, isNumber) ? data.exitCode : null,
    signal: isString(data.signal) ? data.signal : null,
    durationMs: isNumber(data.durationMs) ? data.durationMs : 0,
    droppedEvents: isNumber(data.droppedEvents) ? data.droppedEvents : 0,
    retiredTasks: isNumber(data.retiredTasks) ? data.retiredTasks : 0,
    counts: isCounts(data.counts) ? data.counts : countsOf(tasks),
    loops,
    tasks,
    flags,
    agentErrors: isArrayOf(data.agentErrors, isString) ? data.agentErrors : [],
  };
  if (isNumber(data.rejectedConnections) && data.rejectedConnections > 0) report.rejectedConnections = data.rejectedConnections;
  const processes = Array.isArray(data.processes) ? data.processes.slice(0, MAX_PROCESSES).filter(isReportProcess) : [];
  if (processes.length > 1) report.processes = processes;
  return { ok: true, report, skipped: data.tasks.length - tasks.length + data.flags.length - flags.length };
}

/** A report task is valid when its TaskView fields pass the live-message guards (with Locations for SiteIds). */
function isReportTask(v: Json): v is ReportTask {
  return isRecord(v) && isLocatedTask(locatedTaskOfReport(v as unknown as ReportTask, []));
}

function isReportProcess(v: Json): v is ReportProcess {
  return isRecord(v) && isNumber(v.tasks) && isNumber(v.loops) && isProcessView({ ...v, exited: true });
}

function isReportFlagLike(v: Json): v is Report['flags'][number] {
  return isRecord(v) && isFlagView({ ...v, id: 'x', t: isNumber(v.t) ? v.t : 0 });
}

function countsOf(tasks: readonly ReportTask[]): Report['counts'] {
  const c = emptyCounts();
  for (const t of tasks) c[t.state]++;
  return c;
}

/** The messages that show a saved report in the view, as if its program had just ended. */
export function reportToMessages(report: Report): SessionMessage[] {
  const awaitedBy = new Map<string, string[]>();
  for (const t of report.tasks) {
    for (const target of t.awaiting) {
      const list = awaitedBy.get(target);
      if (list) list.push(t.id);
      else awaitedBy.set(target, [t.id]);
    }
  }
  const flags: FlagView[] = report.flags.map((f, i) => ({ ...f, id: `f${i + 1}`, t: f.t ?? report.durationMs }));
  const session: SessionInfo = { runtime: report.runtime, command: report.command, startEpochMs: 0 };
  const { sites, intern } = siteTable();
  const upserts = report.tasks.map((t) => taskViewOfReport(t, awaitedBy.get(t.id) ?? [], intern));
  const delta: ModelDelta = {
    seq: 0, reset: true, sites,
    upserts,
    removed: [], flags, retractedFlags: [], loops: report.loops,
    ...(report.processes ? { processes: report.processes.map(processOfReport) } : {}),
    counts: report.counts, retired: report.retiredTasks, dropped: report.droppedEvents, now: report.durationMs,
  };
  return [
    { type: 'reset', session },
    { type: 'delta', delta },
    { type: 'ended', exitCode: report.exitCode, signal: report.signal ?? null },
  ];
}

/** A saved process as the view shows it: the run is over, so it ended (with its code, when known). */
function processOfReport(p: ReportProcess): ProcessView {
  return { pid: p.pid, parentPid: p.parentPid, command: p.command, idPrefixes: p.idPrefixes, exited: true, exitCode: p.exitCode };
}

/** The report's processes from the view's tree: its tasks and loops counted by their ids' prefixes. */
function reportProcessesOf(store: SessionStore): ReportProcess[] {
  const count = (ids: Iterable<string>, p: ProcessView): number => {
    let n = 0;
    for (const id of ids) if (p.idPrefixes.includes(idPrefixOf(id))) n++;
    return n;
  };
  return store.processes.map((p) => ({
    pid: p.pid, parentPid: p.parentPid, command: p.command, exitCode: p.exitCode, idPrefixes: p.idPrefixes,
    tasks: count(store.tasks.keys(), p), loops: count(store.loops.keys(), p),
  }));
}

/** A site table built from a file's Locations: the same place (file, line, column, function) is one site. */
function siteTable(): { sites: Site[]; intern: (loc: Location) => SiteId } {
  const sites: Site[] = [];
  const byKey = new Map<string, SiteId>();
  const intern = (loc: Location): SiteId => {
    const key = JSON.stringify([loc.file, loc.line, loc.col, loc.function]);
    let id = byKey.get(key);
    if (id === undefined) {
      id = sites.length + 1; // from 1, as the model numbers them
      sites.push({ id, file: loc.file, line: loc.line, ...(loc.col !== undefined ? { col: loc.col } : {}), function: loc.function });
      byKey.set(key, id);
    }
    return id;
  };
  return { sites, intern };
}

/** The view's state as a report: what Save Session writes while the program still runs. */
export function storeToReport(store: SessionStore): Report | undefined {
  if (!store.session) return undefined;
  const tasks = [...store.tasks.values()].map((t) => reportTaskOf(t, store.site)).sort((a, b) => a.createdAt - b.createdAt);
  const report: Report = {
    schema: 1,
    runtime: store.session.runtime,
    command: store.session.command,
    exitCode: store.exit?.exitCode ?? null,
    signal: store.exit?.signal ?? null,
    durationMs: store.now,
    droppedEvents: store.dropped,
    retiredTasks: store.retired,
    counts: { ...store.counts },
    loops: [...store.loops.values()],
    tasks,
    flags: [...store.flags.values()].map(reportFlag),
    agentErrors: store.status === 'running' ? ['saved while the program was still running'] : [],
  };
  if (store.processes.length > 1) report.processes = reportProcessesOf(store);
  return report;
}

/** Chrome trace-event JSON (Perfetto, chrome://tracing) of a report. */
export function reportToTrace(report: Report): ChromeTrace {
  return toChromeTrace({
    tasks: report.tasks, flags: report.flags, loops: report.loops, durationMs: report.durationMs, command: report.command,
  });
}
