/**
 * Chrome trace-event JSON (opens in Perfetto / chrome://tracing) from a report-like state: one process
 * per traced process, one track per loop / thread, each task's lifetime as an async slice, its running
 * steps as complete events, and the flags as instant events. Times in the trace are microseconds.
 */
import type { LoopView, ReportFlag, ReportProcess, TaskView } from './types';
import { idPrefixOf } from './processes';

/** What the trace needs of a task: TaskView and ReportTask both fit. */
export type TraceTask = Pick<TaskView, 'id' | 'name' | 'kind' | 'state' | 'parent' | 'loop' | 'thread' | 'createdAt' | 'steps'>
  & { startedAt?: number | null; endedAt?: number | null };

/** What the trace needs of a flag: FlagView and ReportFlag both fit. */
export type TraceFlag = Pick<ReportFlag, 'kind' | 'message' | 'task' | 'location' | 't' | 'durationMs'>;

export interface TraceInput {
  tasks: readonly TraceTask[];
  flags: readonly TraceFlag[];
  loops: readonly LoopView[];
  /** End of the session (ms); still-live tasks' slices end here. */
  durationMs?: number;
  command?: string[];
  /** The report's process tree: then each traced process is a trace process under its own pid. */
  processes?: readonly Pick<ReportProcess, 'pid' | 'command' | 'idPrefixes'>[];
}

export interface TraceEvent {
  name: string;
  ph: 'b' | 'e' | 'X' | 'i' | 'M';
  pid: number;
  tid: number;
  ts?: number;
  dur?: number;
  cat?: string;
  id?: string;
  s?: 't' | 'p' | 'g';
  args?: Record<string, unknown>;
}

export interface ChromeTrace {
  traceEvents: TraceEvent[];
  displayTimeUnit: 'ms';
}

const us = (ms: number) => Math.round(ms * 1000);

/**
 * The trace process of an id ("p2:17", "17") and each one's name. With the report's process tree: the real
 * pid (a Node worker thread's connection joins its process). Without: connection n is trace pid n + 1.
 */
function tracePids(input: TraceInput): { pidOf(id: string): number; nameOf(pid: number): string } {
  const byPrefix = new Map<string, number>();
  const names = new Map<number, string>();
  for (const p of input.processes ?? []) {
    for (const prefix of p.idPrefixes) byPrefix.set(prefix, p.pid);
    names.set(p.pid, `${p.command.join(' ')} (pid ${p.pid})`);
  }
  return {
    pidOf: (id) => {
      const prefix = idPrefixOf(id);
      return byPrefix.get(prefix) ?? (prefix ? Number(prefix.slice(1, -1)) : 0) + 1;
    },
    nameOf: (pid) => names.get(pid) ?? (pid === 1 && input.command ? input.command.join(' ') : `process ${pid - 1}`),
  };
}

/** Assigns thread ids per process: loops first, then worker threads, then a "main" track. */
class Tracks {
  private readonly tids = new Map<string, number>();
  readonly meta: TraceEvent[] = [];

  tid(pid: number, key: string, label: string): number {
    const k = `${pid}\0${key}`;
    let tid = this.tids.get(k);
    if (tid === undefined) {
      tid = this.tids.size + 1;
      this.tids.set(k, tid);
      this.meta.push({ name: 'thread_name', ph: 'M', pid, tid, args: { name: label } });
    }
    return tid;
  }
}

export function toChromeTrace(input: TraceInput): ChromeTrace {
  const tracks = new Tracks();
  const { pidOf, nameOf } = tracePids(input);
  const loops = new Map(input.loops.map((l) => [l.id, l]));
  const events: TraceEvent[] = [];
  const pids = new Set<number>();
  // A loop, not Math.max(...spread): a report may hold more tasks than a call has argument slots.
  const end = input.durationMs ?? input.tasks.reduce((m, t) => Math.max(m, t.endedAt ?? t.createdAt), 0);

  const trackOf = (pid: number, loop?: string, thread?: string): number => {
    if (thread) return tracks.tid(pid, `thread:${thread}`, thread);
    const l = loop === undefined ? undefined : loops.get(loop);
    if (l) return tracks.tid(pid, `loop:${l.id}`, `${l.name} (${l.thread})`);
    return tracks.tid(pid, 'main', 'main');
  };
  const taskTrack = new Map<string, number>();

  for (const t of input.tasks) {
    const pid = pidOf(t.id);
    pids.add(pid);
    const tid = trackOf(pid, t.loop, t.thread);
    taskTrack.set(t.id, tid);
    const cat = t.kind;
    const name = t.name || t.kind;
    events.push({ name, ph: 'b', cat, id: t.id, pid, tid, ts: us(t.createdAt), args: { id: t.id, kind: t.kind, parent: t.parent } });
    for (const [at, dur] of t.steps ?? []) events.push({ name, ph: 'X', cat: 'step', pid, tid, ts: us(at), dur: us(dur), args: { id: t.id } });
    events.push({ name, ph: 'e', cat, id: t.id, pid, tid, ts: us(Math.max(t.endedAt ?? end, t.createdAt)), args: { state: t.state } });
  }

  for (const f of input.flags) {
    const pid = pidOf(f.task ?? '');
    pids.add(pid);
    const tid = (f.task && taskTrack.get(f.task)) || trackOf(pid);
    const where = f.location ? `${f.location.file}:${f.location.line}` : undefined;
    events.push({
      name: f.kind, ph: 'i', s: 't', pid, tid, ts: us(f.t ?? end), cat: 'flag',
      args: { message: f.message, ...(where ? { location: where } : {}), ...(f.durationMs !== undefined ? { durationMs: f.durationMs } : {}) },
    });
  }

  const processNames: TraceEvent[] = [...pids].map((pid) => ({
    name: 'process_name', ph: 'M', pid, tid: 0,
    args: { name: nameOf(pid) },
  }));
  events.sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0));
  return { traceEvents: [...processNames, ...tracks.meta, ...events], displayTimeUnit: 'ms' };
}
