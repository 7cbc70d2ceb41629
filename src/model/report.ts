/** The JSON report of docs/architecture.md (schema 1), built from the model's state. */
import type { Runtime } from '../protocol/events';
import type { FlagView, Report, ReportFlag } from './types';
import type { ProgramExit } from './lints/types';
import type { ModelState } from './state';
import { allTasks } from './state';
import { reportProcesses } from './processes';
import { reportTask } from './views';

/**
 * Linux signal numbers, so a killed program's exit code reads as a shell would show it (128 + n): the
 * one signal table (report, CLI exit code, the adapter's ExitedEvent). Pure, so no os.constants here.
 */
const SIGNAL_NUMBERS: ReadonlyMap<string, number> = new Map(Object.entries({
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9,
  SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15, SIGSTKFLT: 16, SIGCHLD: 17,
  SIGCONT: 18, SIGSTOP: 19, SIGTSTP: 20, SIGTTIN: 21, SIGTTOU: 22, SIGURG: 23, SIGXCPU: 24, SIGXFSZ: 25,
  SIGVTALRM: 26, SIGPROF: 27, SIGWINCH: 28, SIGIO: 29, SIGPWR: 30, SIGSYS: 31,
}));

/** The exit code a shell would report: the code, or 128 + signal number when killed. */
export function exitCodeOf(exit: { code: number | null; signal: string | null }): number | null {
  if (exit.code !== null) return exit.code;
  const n = exit.signal ? SIGNAL_NUMBERS.get(exit.signal) : undefined;
  if (n !== undefined) return 128 + n;
  return null;
}

export function reportFlag(f: FlagView): ReportFlag {
  const out: ReportFlag = { kind: f.kind, message: f.message, location: f.location, task: f.task, t: f.t };
  if (f.durationMs !== undefined) out.durationMs = f.durationMs;
  if (f.stack) out.stack = f.stack;
  if (f.pid !== undefined) out.pid = f.pid;
  return out;
}

export interface ReportInputs {
  runtime: Runtime;
  command: string[];
  exit: ProgramExit | undefined;
  agentErrors: readonly string[];
  /** Connections the agent channel refused. */
  rejectedConnections: number;
  /** Agent lines the channel could not read (not JSON, not a message). */
  malformedLines: number;
}

export function buildReport(state: ModelState, inputs: ReportInputs): Report {
  const tasks = [...allTasks(state)].map((rec) => reportTask(rec, state.sites)).sort((a, b) => a.createdAt - b.createdAt);
  const loops = state.conns.flatMap((c) => (c ? [...c.loops.values()] : []));
  const notes = [...inputs.agentErrors];
  if (inputs.malformedLines > 0) notes.push(`${inputs.malformedLines} malformed agent lines were skipped`);
  if (state.malformed > 0) notes.push(`${state.malformed} malformed agent events were skipped`);
  if (state.flags.overflow > 0) notes.push(`${state.flags.overflow} findings were not kept (too many flags)`);
  const report: Report = {
    schema: 1,
    runtime: inputs.runtime,
    command: inputs.command,
    exitCode: inputs.exit ? exitCodeOf(inputs.exit) : null,
    signal: inputs.exit?.signal ?? null,
    durationMs: Math.round((inputs.exit?.durationMs ?? state.now) * 1000) / 1000,
    droppedEvents: state.dropped,
    retiredTasks: state.retention.retired,
    counts: { ...state.counts },
    loops,
    tasks,
    flags: state.flags.all().map(reportFlag),
    agentErrors: notes,
  };
  if (inputs.rejectedConnections > 0) report.rejectedConnections = inputs.rejectedConnections;
  const processes = reportProcesses(state, report.exitCode);
  if (processes.length > 1) report.processes = processes;
  return report;
}
