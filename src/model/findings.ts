/** `finding` events: what an agent detected itself, kept as flags (withdrawable by key). */
import type { AgentEvent } from '../protocol/events';
import type { Connection } from './records';
import { globalId } from './records';
import type { ModelState } from './state';
import { isNum, isNumOrNull, isOptNumArray, isStr } from './guards';

export function finding(state: ModelState, conn: Connection, ev: Extract<AgentEvent, { e: 'finding' }>): boolean {
  if (!isStr(ev.kind) || !isStr(ev.message) || !isNum(ev.t) || !isNumOrNull(ev.site) || !isOptNumArray(ev.stack)) return false;
  if (ev.task !== undefined && !isNumOrNull(ev.task)) return false;
  if (ev.dur !== undefined && !isNum(ev.dur)) return false;
  if (ev.key !== undefined && !isStr(ev.key)) return false;
  const location = conn.sites.get(ev.site) ?? conn.sites.stack(ev.stack)?.[0] ?? null;
  state.flags.add(
    {
      kind: ev.kind,
      message: ev.message,
      location,
      task: ev.task === undefined || ev.task === null ? null : globalId(conn, ev.task),
      ...(ev.dur !== undefined ? { durationMs: ev.dur } : {}),
      ...(ev.stack ? { stack: conn.sites.stack(ev.stack) } : {}),
      t: ev.t + conn.offset,
      ...(conn.process ? { pid: conn.process.pid } : {}),
    },
    ev.key === undefined ? undefined : conn.prefix + ev.key,
  );
  return true;
}
