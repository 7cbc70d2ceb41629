/**
 * What a process id names: whether it exists, whether we may trace it, and whether it runs Node.js or Python
 * (read from /proc; Linux). Every refusal is an AttachError whose message says which and what to do.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Runtime } from '../protocol/events';

export class AttachError extends Error {}

export interface AttachTarget {
  pid: number;
  runtime: Runtime;
  /** The process's command line, as /proc shows it. */
  command: string[];
  /** The interpreter to run helpers with: the program's own (a wrapper script when argv[0] names one). */
  executable: string;
}

export function describeTarget(pid: number): AttachTarget {
  if (!Number.isInteger(pid) || pid <= 0) throw new AttachError(`"${pid}" is not a process id`);
  if (pid === process.pid) throw new AttachError('cannot attach to the inspector itself');
  const proc = `/proc/${pid}`;
  if (!existsSync(proc)) throw new AttachError(`no process with id ${pid} (it may have exited); check the id with "ps"`);
  const command = readCommand(pid);
  let exe = '';
  try {
    exe = readlinkSync(`${proc}/exe`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EACCES') {
      // Ours, yet unreadable: ptrace access is denied (a non-dumpable process, Yama, a container's policy).
      if (statSync(proc).uid === process.getuid?.()) throw new AttachError(ptraceDenied(pid));
      throw new AttachError(`process ${pid} belongs to another user: run the inspector as that user (or as root)`);
    }
  }
  const runtime = runtimeOf(exe, command);
  if (!runtime) {
    const what = command.length > 0 ? command.join(' ').slice(0, 80) : basename(exe) || 'unknown';
    throw new AttachError(`process ${pid} (${what}) is not a Node.js or Python program`);
  }
  // argv[0] when it names the interpreter (a wrapper script, or `ld.so … --argv0 …/python3.14 …`), else the binary.
  const named = command.slice(0, 6).find((a) => a.startsWith('/') && existsSync(a) && runtimeOf(a, []) === runtime);
  const executable = named ?? exe;
  return { pid, runtime, command, executable };
}

function readCommand(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((a, i, all) => a !== '' || i < all.length - 1);
  } catch {
    return [];
  }
}

const PYTHON = /^python(\d(\.\d+)?)?([dmu]*)(-real)?$/;
const NODE = /^(node|nodejs)(\d+)?$/;

/**
 * The runtime from the executable's name, else from argv[0] (a wrapper script's name), or, for a program run
 * by the dynamic loader itself (`ld-linux… --argv0 …/python3.14 …/python3.14-real`), from the loader's arguments.
 * Never from other arguments: `bash run.sh python3` is no Python process.
 */
export function runtimeOf(exe: string, command: string[]): Runtime | undefined {
  const candidates = basename(exe).startsWith('ld-linux') ? [exe, ...command.slice(0, 8)] : [exe, command[0] ?? ''];
  for (const path of candidates) {
    const name = basename(path);
    if (NODE.test(name)) return 'node';
    if (PYTHON.test(name)) return 'python';
  }
  return undefined;
}

/** "3.11" for a Python interpreter (asks it), or undefined when it does not answer. */
export function pythonVersion(executable: string): string | undefined {
  try {
    const out = execFileSync(executable, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], {
      encoding: 'utf8',
      timeout: 10_000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return out.trim() || undefined;
  } catch {
    return undefined;
  }
}

export function ptraceDenied(pid: number): string {
  return (
    `not permitted to trace process ${pid} (ptrace): run as the same user with ptrace allowed ` +
    '(/proc/sys/kernel/yama/ptrace_scope 0, or CAP_SYS_PTRACE in a container: docker run --cap-add=SYS_PTRACE)'
  );
}

/** Whether a process is still there. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
