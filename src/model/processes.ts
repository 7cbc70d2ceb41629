/**
 * The process tree of a run: each traced process (a connection whose hello is a process's main thread; Node
 * worker threads are connections of the same pid) with its parent's pid, command line, whether it ended and
 * its exit code. Pure: filled from hello / bye (and the launcher's exit for the first process), read by the
 * report and by the deltas (ProcessView).
 */
import type { Connection } from './records';
import type { ModelState } from './state';
import type { ProcessView, ReportProcess } from './types';

/** What a connection's hello said about its process, and its bye (or the launcher) about how it ended. */
export interface ProcessInfo {
  pid: number;
  parentPid: number | null;
  command: string[];
  /** Its main thread's connection said bye (or closed), or the launcher saw the program exit. */
  exited: boolean;
  exitCode: number | null;
  /** Its parent's wait saw it end (the `exited` event): that status stands, whatever its own bye says. */
  waited?: boolean;
}

export function processFromHello(msg: { pid?: unknown; ppid?: unknown; argv?: unknown }): ProcessInfo | undefined {
  if (typeof msg.pid !== 'number') return undefined;
  return {
    pid: msg.pid,
    parentPid: typeof msg.ppid === 'number' ? msg.ppid : null,
    command: Array.isArray(msg.argv) ? msg.argv.filter((a): a is string => typeof a === 'string') : [],
    exited: false,
    exitCode: null,
  };
}

/**
 * The bye of a process's main-thread connection (a bare bye from the channel when it closed without one):
 * the process ended, with the exit code the bye carried if any. Returns whether that changed anything.
 */
export function noteProcessExit(conn: Connection, exitCode: unknown): boolean {
  const p = conn.process;
  if (!p || conn.threadId !== undefined) return false;
  const code = typeof exitCode === 'number' && !p.waited ? exitCode : p.exitCode;
  if (p.exited && code === p.exitCode) return false;
  p.exited = true;
  p.exitCode = code;
  return true;
}

/**
 * A traced process's parent saw it end with `code` (an `exited` event from the parent's connection): the status
 * its parent's wait got is the process's. Returns whether the event was well formed.
 */
export function noteChildExit(state: ModelState, parent: Connection, pid: unknown, code: unknown): boolean {
  if (typeof pid !== 'number' || typeof code !== 'number') return false;
  for (let i = state.conns.length - 1; i >= 0; i--) {
    const p = state.conns[i]?.process;
    if (!p || state.conns[i] === parent || state.conns[i].threadId !== undefined || p.pid !== pid) continue;
    if (p.exitCode !== code || !p.exited) state.changes.processChanged();
    Object.assign(p, { exited: true, exitCode: code, waited: true });
    break;
  }
  return true; // a child that was not traced (python -I, an untraced program): nothing to note
}

/**
 * The launched program (the first process) exited with `code`: what its agent did not say, the launcher
 * knows. Null (an attach that detached, an end without an exit status) says nothing about it.
 */
export function noteMainExit(state: ModelState, code: number | null): boolean {
  const conn = state.conns[0];
  if (code === null || !conn?.process || conn.threadId !== undefined) return false;
  return noteProcessExit(conn, conn.process.exitCode ?? code);
}

interface ProcessEntry {
  info: ProcessInfo;
  conns: Connection[];
}

/** Every traced process in the order it connected, with its connections (its worker threads' too). */
function processEntries(state: ModelState): ProcessEntry[] {
  const byPid = new Map<number, ProcessEntry>();
  for (const conn of state.conns) {
    const pid = conn?.process?.pid;
    if (!conn || pid === undefined) continue;
    const entry = byPid.get(pid);
    if (entry) entry.conns.push(conn);
    else if (conn.threadId === undefined) byPid.set(pid, { info: conn.process!, conns: [conn] }); // not a thread before its process
  }
  return [...byPid.values()];
}

/** The process tree as the view shows it (whole, in connection order). */
export function processViews(state: ModelState): ProcessView[] {
  return processEntries(state).map(({ info, conns }) => ({
    pid: info.pid,
    parentPid: info.parentPid,
    command: info.command,
    idPrefixes: conns.map((c) => c.prefix),
    exited: info.exited,
    exitCode: info.exitCode,
  }));
}

/**
 * The report's processes: with the id prefixes of its connections (a task, a loop belongs to the process whose
 * prefix its id starts with; "" is the first process: ids with no `pN:`) and what the model holds of each.
 * `mainExit`: the launched program's exit code, for the first process when its agent did not say it.
 */
export function reportProcesses(state: ModelState, mainExit: number | null): ReportProcess[] {
  return processEntries(state).map(({ info, conns }) => ({
    pid: info.pid,
    parentPid: info.parentPid,
    command: info.command,
    exitCode: info.exitCode ?? (conns[0].index === 0 ? mainExit : null),
    idPrefixes: conns.map((c) => c.prefix),
    tasks: conns.reduce((n, c) => n + c.tasks.size, 0),
    loops: conns.reduce((n, c) => n + c.loops.size, 0),
  }));
}

/** The connection prefix of a task or loop id: "p2:" of "p2:17", "" of "17". */
export function idPrefixOf(id: string): string {
  return /^(p\d+:)?/.exec(id)![0];
}
