/**
 * How promises end. The settled hook runs before V8 stores the outcome (%PromiseStatus still says
 * pending), so records settle as done and the promise is kept until the next flush, which looks again
 * (checkOutcomes) with %PromiseStatus (natives.ts). Rejection reasons come from
 * util.inspect, only for sampled promises. Storm promises (markers) are only counted: their failures are
 * not told apart.
 */
import { inspect } from 'node:util';
import type { ErrorInfo } from '../../protocol/events';
import { withAbortCall } from './abort-call';
import { clock } from './clock';
import { popIfTop } from './context';
import { endedBy } from './error-info';
import { fault, FAULTS } from './faults';
import { agentError, guard } from './guard';
import { natives } from './natives';
import type { Publisher } from './publisher';
import { RecordBit, recordOf, State, type Rec } from './records';

/**
 * The reason of a rejected promise, read without touching it (a handler would mark it handled): from its
 * inspection, one level deep so an error with own properties (AbortError's code and cause) still shows its
 * first line, bounded for huge reasons.
 */
function rejectionOf(p: Promise<unknown>, r: Rec): ErrorInfo {
  try {
    const text = inspect(p, { depth: 1, customInspect: false, getters: false, breakLength: Infinity, maxArrayLength: 3, maxStringLength: 500 });
    const m = /<rejected> ([^\n]*)/.exec(text);
    // `Promise { <rejected> 'text' }` fits on one line: its closing brace is not part of the reason.
    const line = m ? (text.includes('\n') ? m[1] : m[1].replace(/ }$/, '')) : 'rejected';
    // `TypeError [ERR_X]: text`, and `DOMException [AbortError]: text` whose bracket is the name that counts.
    const named = /^([A-Za-z_$][\w$]*)(?: \[([\w$]+)\])?: (.*)$/.exec(line);
    if (named === null) return { type: 'rejection', message: line.slice(0, 500) };
    const error = { type: named[1] === 'DOMException' && named[2] ? named[2] : named[1], message: named[3] };
    return endedBy(error) === 'cancelled' ? withAbortCall(error, text, r) : error; // the text holds the stacks
  } catch {
    return { type: 'rejection', message: '' };
  }
}

type Tracked = Promise<unknown>;
let publisher: Publisher;
export function setOutcomePublisher(pub: Publisher): void {
  publisher = pub;
}

const settledPromises: Tracked[] = [];
const settledRecords: Rec[] = [];
const MAX_SETTLED_CHECKS = 50_000;

export function settled(promise: Tracked): void {
  if (guard.busy) return;
  const r = recordOf(promise);
  if (r === undefined || (r.flags & RecordBit.Internal) !== 0) return;
  try {
    if (FAULTS) fault('promise settled');
    if ((r.flags & RecordBit.Unsampled) !== 0) {
      publisher.countUnsampled(r, false);
      return;
    }
    r.state = State.Done;
    r.t1 = (r.flags & RecordBit.Published) !== 0 || r.site !== null ? clock.now() : clock.coarse;
    if (settledPromises.length < MAX_SETTLED_CHECKS) {
      settledPromises.push(promise);
      settledRecords.push(r);
    }
    popIfTop(r);
    publisher.ended(r);
  } catch (err) {
    agentError('promise settled', err);
  }
}

/** At a flush, before publishing: which of the promises that settled since the last one were rejected. */
export function checkOutcomes(): void {
  for (let i = 0; i < settledPromises.length; i++) {
    if (natives.promiseStatus(settledPromises[i]) !== 2) continue;
    const r = settledRecords[i];
    const error = rejectionOf(settledPromises[i], r);
    r.state = endedBy(error) === 'cancelled' ? State.Cancelled : State.Failed;
    r.more.error = error;
  }
  settledPromises.length = 0;
  settledRecords.length = 0;
}
