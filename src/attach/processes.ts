/**
 * The processes an attach can target, for a picker (like the built-in "Attach to Process"): every Node.js and
 * Python process this user can see, with its command line. Linux (/proc).
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type { Runtime } from '../protocol/events';
import { runtimeOf } from './target';

export interface AttachableProcess {
  pid: number;
  runtime: Runtime;
  /** The command line, arguments joined by spaces. */
  command: string;
}

export function listAttachable(exclude: readonly number[] = [process.pid]): AttachableProcess[] {
  const out: AttachableProcess[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (exclude.includes(pid)) continue;
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      if (argv.length === 0) continue; // a kernel thread, or a zombie
      let exe = '';
      try {
        exe = readlinkSync(`/proc/${pid}/exe`);
      } catch {
        // another user's process: judged by its command line
      }
      const runtime = runtimeOf(exe, argv);
      if (runtime) out.push({ pid, runtime, command: argv.join(' ') });
    } catch {
      // gone meanwhile
    }
  }
  return out.sort((a, b) => b.pid - a.pid); // newest first, as a program just started is the likely target
}
