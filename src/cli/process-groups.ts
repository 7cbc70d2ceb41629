/** The CLI summary's task tree split by process, when the program ran as more than one traced process. */
import { basename } from 'node:path';
import { idPrefixOf } from '../model/processes';
import type { Report, ReportFlag, ReportProcess, ReportTask } from '../model/types';
import { processName } from '../shared/processes';

export interface TaskGroup {
  /** "process pid 12 (child of pid 10): python3 app.py — exited with code 0" (the interpreter by its file name); undefined for a one-process program. */
  header: string | undefined;
  tasks: ReportTask[];
}

export function processGroups(report: Report): TaskGroup[] {
  const procs = report.processes;
  if (!procs || procs.length < 2) return [{ header: undefined, tasks: report.tasks }];
  const byPrefix = new Map<string, ReportTask[]>();
  const groups: TaskGroup[] = procs.map((p) => {
    const group: TaskGroup = { header: header(p, procs), tasks: [] };
    for (const prefix of p.idPrefixes) byPrefix.set(prefix, group.tasks);
    return group;
  });
  const other: ReportTask[] = [];
  for (const t of report.tasks) (byPrefix.get(idPrefixOf(t.id)) ?? other).push(t);
  if (other.length > 0) groups.push({ header: 'other connections', tasks: other });
  return groups;
}

function header(p: ReportProcess, all: readonly ReportProcess[]): string {
  const parent = p.parentPid !== null && all.some((q) => q.pid === p.parentPid) ? ` (child of pid ${p.parentPid})` : '';
  const exit = p.exitCode === null ? '' : ` — exited with code ${p.exitCode}`;
  const [exe = '', ...args] = p.command;
  return `process pid ${p.pid}${parent}: ${[basename(exe), ...args].join(' ')}${exit}`;
}

/** "pid 12, worker.js": the process that raised a flag (its agent's pid, else its task's), when there were several. */
export function flagProcessLabel(report: Report, flag: ReportFlag): string | undefined {
  const procs = report.processes;
  if (!procs || procs.length < 2) return undefined;
  const p = flag.pid !== undefined
    ? procs.find((q) => q.pid === flag.pid)
    : flag.task !== null ? procs.find((q) => q.idPrefixes.includes(idPrefixOf(flag.task!))) : undefined;
  return p ? `pid ${p.pid}, ${processName(p)}` : undefined;
}
