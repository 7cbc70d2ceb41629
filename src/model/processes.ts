/**
 * The process tree of a run: each traced process (a connection whose hello is a process's main thread; Node
 * worker threads are connections of the same pid) with its parent's pid, command line and exit code.
 * Pure: filled from hello / bye, read by the report.
 */
import type { Connection } from './records';
import type { ModelState } from './state';
import type { ReportProcess } from './types';

/** What a connection's hello said about its process, and its bye's exit code. */
export interface ProcessInfo {
  pid: number;
  parentPid: number | null;
  command: string[];
  exitCode: number | null;
}

export function processFromHello(msg: { pid?: unknown; ppid?: unknown; argv?: unknown }): ProcessInfo | undefined {
  if (typeof msg.pid !== 'number') return undefined;
  return {
    pid: msg.pid,
    parentPid: typeof msg.ppid === 'number' ? msg.ppid : null,
    command: Array.isArray(msg.argv) ? msg.argv.filter((a): a is string => typeof a === 'string') : [],
    exitCode: null,
  };
}

/** The bye of a process's connection: the exit code it carried (a bare bye from the channel carries none). */
export function noteProcessExit(conn: Connection, exitCode: unknown): void {
  if (conn.process && conn.threadId === undefined && typeof exitCode === 'number') conn.process.exitCode = exitCode;
}

/**
 * Every traced process in the order it connected, with the id prefixes of its connections (a task, a loop
 * belongs to the process whose prefix its id starts with; "" is the first process: ids with no `pN:`).
 * `mainExit`: the launched program's exit code, for the first process when its agent did not say it.
 */
export function reportProcesses(state: ModelState, mainExit: number | null): ReportProcess[] {
  const byPid = new Map<number, ReportProcess>();
  for (const conn of state.conns) {
    if (!conn) continue;
    const pid = conn.process?.pid;
    const entry = pid === undefined ? undefined : byPid.get(pid);
    if (entry) {
      entry.idPrefixes.push(conn.prefix);
      entry.tasks += conn.tasks.size;
      entry.loops += conn.loops.size;
      continue;
    }
    if (!conn.process || pid === undefined || conn.threadId !== undefined) continue; // a thread before its process
    const { parentPid, command, exitCode } = conn.process;
    byPid.set(pid, {
      pid, parentPid, command,
      exitCode: exitCode ?? (conn.index === 0 ? mainExit : null),
      idPrefixes: [conn.prefix],
      tasks: conn.tasks.size,
      loops: conn.loops.size,
    });
  }
  return [...byPid.values()];
}

/** The connection prefix of a task or loop id: "p2:" of "p2:17", "" of "17". */
export function idPrefixOf(id: string): string {
  return /^(p\d+:)?/.exec(id)![0];
}
