/**
 * The program's processes as the view, the Problems panel and the details name them: which process a task
 * or flag belongs to (by its id's connection prefix), a short label ("pid 1234, worker.js"), its state, and
 * the tree order (each process under its parent). Pure; shared by the extension host and the webview.
 */
import { idPrefixOf } from '../model/processes';
import type { FlagView, ProcessView } from '../model/types';

export class ProcessIndex {
  private readonly byPrefix = new Map<string, ProcessView>();
  private readonly byPid = new Map<number, ProcessView>();

  constructor(readonly list: readonly ProcessView[]) {
    for (const p of list) {
      this.byPid.set(p.pid, p);
      for (const prefix of p.idPrefixes) this.byPrefix.set(prefix, p);
    }
  }

  /** The program ran as more than one process: the view shows the tree and names each flag's process. */
  get several(): boolean {
    return this.list.length > 1;
  }

  /** The process of a task, loop (by its id) or pid. */
  of(idOrPid: string | number): ProcessView | undefined {
    return typeof idOrPid === 'number' ? this.byPid.get(idOrPid) : this.byPrefix.get(idPrefixOf(idOrPid));
  }

  /** The process that raised a flag: the agent's (pid), else its task's. */
  ofFlag(flag: Pick<FlagView, 'pid' | 'task'>): ProcessView | undefined {
    if (flag.pid !== undefined) return this.byPid.get(flag.pid);
    return flag.task !== null ? this.of(flag.task) : undefined;
  }

  /** The parent of a process, when it is traced too. */
  parentOf(p: ProcessView): ProcessView | undefined {
    return p.parentPid === null || p.parentPid === p.pid ? undefined : this.byPid.get(p.parentPid);
  }

  /** Every process depth-first under its traced parent (roots in connection order), with its depth. */
  tree(): Array<{ process: ProcessView; depth: number }> {
    const children = new Map<number, ProcessView[]>();
    const roots: ProcessView[] = [];
    for (const p of this.list) {
      const parent = this.parentOf(p);
      if (parent) children.set(parent.pid, [...(children.get(parent.pid) ?? []), p]);
      else roots.push(p);
    }
    const out: Array<{ process: ProcessView; depth: number }> = [];
    const seen = new Set<number>();
    const visit = (p: ProcessView, depth: number): void => {
      if (seen.has(p.pid)) return;
      seen.add(p.pid);
      out.push({ process: p, depth });
      for (const c of children.get(p.pid) ?? []) visit(c, depth + 1);
    };
    for (const r of roots) visit(r, 0);
    for (const p of this.list) visit(p, 0); // parent cycles (bad data): still listed
    return out;
  }
}

/** The program a process runs, short: its script or module ("worker.js", "uvicorn"), else its executable. */
export function processName(p: Pick<ProcessView, 'command'>): string {
  const [exe = '', ...args] = p.command;
  const script = args.find((a, i) => !a.startsWith('-') && args[i - 1] !== '-c');
  return baseName(script ?? exe) || '(unknown)';
}

/** "pid 1234, worker.js": how a flag, a task's details and the Problems panel name a process. */
export function processLabel(p: ProcessView): string {
  return `pid ${p.pid}, ${processName(p)}`;
}

/** "running", "exited with code 0", "exited" (code unknown). */
export function processStatus(p: ProcessView): string {
  if (!p.exited) return 'running';
  return p.exitCode === null ? 'exited' : `exited with code ${p.exitCode}`;
}

/** A flag's message, naming its process when the program ran as several: "… (pid 1234, worker.js)". */
export function withProcess(message: string, processes: ProcessIndex, flag: Pick<FlagView, 'pid' | 'task'>): string {
  const p = processes.several ? processes.ofFlag(flag) : undefined;
  return p ? `${message} (${processLabel(p)})` : message;
}

function baseName(path: string): string {
  return path.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? '';
}
