/**
 * A worker thread's connection that ends without saying its loop drained (`worker.terminate()`,
 * `process.exit()` inside the worker, the process ending around it) was stopped: what it still had pending can
 * never settle. Its live tasks end cancelled, so pending-at-exit does not blame them as awaits that hung when
 * the program later ends on its own. A process's main thread keeps its pending tasks: its own exit decides.
 */
import type { ErrorInfo } from '../protocol/events';
import type { Connection } from './records';
import { isLive } from './records';
import type { ModelState } from './state';
import { applyEvent } from './tasks';

const STOPPED: ErrorInfo = { type: 'WorkerStopped', message: 'its worker thread was stopped before this settled' };

/** The connection said `bye` (or the launcher did for it) at agent time `t`. */
export function endStoppedThread(state: ModelState, conn: Connection, t: number, drained: boolean | undefined): void {
  if (conn.threadId === undefined || drained === true) return;
  const live = [...conn.tasks.values()].filter((rec) => isLive(rec.state)).map((rec) => rec.local);
  for (const id of live) applyEvent(state, conn, { e: 'end', id, state: 'cancelled', t, error: STOPPED });
}
