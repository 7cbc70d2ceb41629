/**
 * Worker threads that were stopped rather than ending on their own. `worker.terminate()`, `process.exit()`
 * inside the worker, or the process ending around an unref'd worker stop its event loop at once: what it
 * still had pending can never settle, and the agent inside gets no chance to say so (a terminated worker
 * runs no 'exit' handler). Left pending, the model's pending-at-exit lint would blame those awaits when the
 * program later ends on its own. So the channel, which sees each connection end, ends them here: a worker
 * connection (hello.threadId) that closes without a `bye` saying its loop drained gets one last batch
 * ending its live tasks `cancelled`, just before that `bye` or at the close.
 *
 * Only worker connections are watched (a process's main thread keeps its pending tasks: its own exit
 * decides about them), and only ids: a `create` adds one, an `end` removes it.
 */
import type { AgentEvent, AgentMessage } from '../protocol/events';

const STOPPED_ERROR = { type: 'WorkerStopped', message: 'its worker thread was stopped before this settled' };

interface WorkerConnection {
  startEpochMs: number;
  live: Set<number>;
  seq: number;
  settled: boolean;
}

export class StoppedThreads {
  private readonly workers = new Map<number, WorkerConnection>();

  /** The messages to deliver for `msg` (itself, preceded by the stop batch when it is a worker's undrained `bye`). */
  pass(conn: number, msg: AgentMessage): AgentMessage[] {
    if (msg.type === 'hello') {
      if (typeof msg.threadId === 'number' && typeof msg.startEpochMs === 'number') {
        this.workers.set(conn, { startEpochMs: msg.startEpochMs, live: new Set(), seq: 0, settled: false });
      }
      return [msg];
    }
    const worker = this.workers.get(conn);
    if (worker === undefined || worker.settled) return [msg];
    if (msg.type === 'batch') {
      if (typeof msg.seq === 'number') worker.seq = msg.seq;
      if (Array.isArray(msg.events)) track(worker.live, msg.events);
      return [msg];
    }
    if (msg.type !== 'bye') return [msg];
    const stop = msg.drained === true ? undefined : this.stopBatch(worker);
    worker.settled = true;
    return stop ? [stop, msg] : [msg];
  }

  /** The connection closed: a worker that never said `bye` was stopped. */
  closed(conn: number): AgentMessage | undefined {
    const worker = this.workers.get(conn);
    this.workers.delete(conn);
    return worker === undefined || worker.settled ? undefined : this.stopBatch(worker);
  }

  private stopBatch(worker: WorkerConnection): AgentMessage | undefined {
    if (worker.live.size === 0) return undefined;
    const t = Math.max(0, Date.now() - worker.startEpochMs);
    const events: AgentEvent[] = [];
    for (const id of worker.live) events.push({ e: 'end', id, state: 'cancelled', t, error: STOPPED_ERROR });
    worker.live.clear();
    return { type: 'batch', seq: ++worker.seq, dropped: 0, events };
  }
}

function track(live: Set<number>, events: AgentEvent[]): void {
  for (const ev of events) {
    if (typeof ev !== 'object' || ev === null) continue;
    if (ev.e === 'create') live.add(ev.id);
    else if (ev.e === 'end') live.delete(ev.id);
  }
}
