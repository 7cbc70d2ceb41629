/**
 * Requests an HTTP server serves, and the connections they come in on.
 *
 * A served request starts when its server emits it and ends done when its response finishes (the
 * http.server.response.finish channel), or cancelled when its connection closes first. Outside a storm
 * (promises.ts) it gets a record at once and its 'request' handlers run as that record, so the promises a
 * handler makes are its children. In a storm nothing a handler makes is related to it anyway, and a busy
 * server's requests are rolled up by the thousand (shape-allowance.ts): such a request is only noted on its
 * connection (start time) and counted when it ends; it gets a record when it is still in flight at a flush
 * (the live tree, a stop, the exit), or when its shape's allowance shows it one by one. A record per request
 * cost a saturated `node:http` server ~5% of its throughput.
 */
import { fault, FAULTS } from '../faults';
import { agentError, guard } from '../guard';
import { inStorm } from '../storm-mode';
import { recordOf, RecordBit, setRecord, State, type Rec } from '../records';
import { clock } from '../clock';
import { knownPeerName, on, serverSite, trackSocket, type Socket } from './sockets';
import { beforeFlush, endedUnrecorded, endResource, runAs, startIncoming, type Handle } from './track';

type ServerRequest = Handle & { method?: string; url?: string; socket?: Socket | null };
type Ended = State.Done | State.Failed | State.Cancelled;

/** emit functions this module installed (a second install, e.g. another copy of the agent, leaves them). */
const wrappedEmits = new WeakSet<Function>();
/** Connections holding a request without a record: looked at by the next flush. */
let unrecordedOn: Rec[] = [];

/** The server side of installNetHttp: `Server` prototypes of http and https. */
export function trackServedRequests(servers: { emit: Function }[]): void {
  for (const proto of servers) runRequestsAs(proto);
  endServedOnFinish();
  beforeFlush(recordInFlight);
}

/** A connection the server accepted: named by its client lazily, created at the server's listen line. */
export function acceptedSocket(socket: Socket): Rec {
  const rec = startIncoming('io', 'TCP accepted', () => acceptedName(socket));
  rec.site = serverSite(socket.server);
  trackSocket(socket, rec, cancelInFlight);
  return rec;
}

/**
 * By the client's address; when that is gone (a socket the 'connection' handler destroyed at once, before
 * the agent saw it) or never known (a Unix socket), by the server's address it came in on.
 */
function acceptedName(socket: Socket): string {
  const byPeer = knownPeerName('TCP accepted', socket);
  if (byPeer !== undefined) return byPeer;
  const local = socket.server?.address?.();
  if (typeof local === 'string') return `TCP accepted on ${local}`;
  const inet = local as { address?: string; port?: number } | null | undefined;
  return inet?.port !== undefined ? `TCP accepted on ${inet.address ?? ''}:${inet.port}` : 'TCP accepted';
}

/**
 * A served request starts when its server emits it ('request', or 'checkContinue' / 'checkExpectation'
 * for an `Expect` header). Done here rather than on the http.server.request.start channel: with no
 * subscriber Node does not even build that channel's message, and one wrapper does both jobs.
 */
function runRequestsAs(proto: { emit: Function }): void {
  const emit = proto.emit;
  if (typeof emit !== 'function' || wrappedEmits.has(emit)) return;
  const wrapped = function (this: unknown, event: unknown, req?: ServerRequest): unknown {
    if (event !== 'request' && event !== 'checkContinue' && event !== 'checkExpectation') return Reflect.apply(emit, this, arguments);
    if (typeof req !== 'object' || req === null || guard.busy) return Reflect.apply(emit, this, arguments);
    let rec = recordOf(req);
    if (rec === undefined) {
      if (inStorm() && notedUnrecorded(req)) return Reflect.apply(emit, this, arguments);
      rec = servedRequest(req, clock.now());
      if (rec === undefined) return Reflect.apply(emit, this, arguments);
      inFlightOn(req.socket, rec);
    }
    if (rec.site === null) rec.site = serverSite(this);
    return runAs(rec, emit as (...a: unknown[]) => unknown, this, arguments);
  };
  wrappedEmits.add(wrapped);
  proto.emit = wrapped;
}

/** A storm's request noted on its connection (false: it gets a record now). */
function notedUnrecorded(req: ServerRequest): boolean {
  const socket = req.socket;
  if (!socket) return false;
  try {
    if (FAULTS) fault('served request');
    const accepted = recordOf(socket) ?? acceptedSocket(socket);
    const more = accepted.more;
    if (more.unrecorded === req) return true; // emitted again (a checkContinue handler's `server.emit('request')`)
    if (more.unrecorded !== null) recordUnrecorded(accepted); // pipelined: the one before gets its record
    more.unrecorded = req;
    more.unrecordedT0 = clock.now();
    if (!more.unrecordedListed) {
      more.unrecordedListed = true;
      unrecordedOn.push(accepted);
    }
    return true;
  } catch (err) {
    agentError('served request', err);
    return false;
  }
}

/**
 * Named now: a closure over the request would keep it alive until the next flush (GC promotion measurably
 * slowed a busy server). No site yet (the server's listen line, once known); its creator is the client.
 */
function servedRequest(req: ServerRequest, t0: number): Rec | undefined {
  try {
    if (FAULTS) fault('served request');
    const rec = startIncoming('io', serverFamily(req.method), null, t0);
    rec.name = `HTTP server ${req.method ?? ''} ${req.url ?? ''}`;
    setRecord(req, rec);
    return rec;
  } catch (err) {
    agentError('served request', err);
    return undefined;
  }
}

/** The record of a connection's request without one (`inFlight`: on it from now on). */
function recordUnrecorded(accepted: Rec, inFlight = true): Rec | undefined {
  const more = accepted.more;
  const req = more.unrecorded as ServerRequest;
  more.unrecorded = null;
  const rec = servedRequest(req, more.unrecordedT0);
  if (rec === undefined) return undefined;
  rec.site = accepted.site;
  if (inFlight) (more.inFlight ??= []).push(rec);
  return rec;
}

/** When the last periodic flush ran. */
let lastFlush = 0;

/**
 * At each flush: requests in flight since before the last one get their record (shown live); at a stop or at
 * exit, all of them. Requests younger than a flush interval wait: on a busy server every flush finds one per
 * connection in flight, and publishing them all cost more than the rest of the agent's events together.
 */
function recordInFlight(all: boolean): void {
  const now = clock.now();
  const since = all ? Infinity : lastFlush;
  if (!all) lastFlush = now;
  const list = unrecordedOn;
  if (list.length === 0) return;
  unrecordedOn = [];
  for (const accepted of list) {
    const more = accepted.more;
    if (more.unrecorded === null) more.unrecordedListed = false;
    else if (more.unrecordedT0 <= since) {
      more.unrecordedListed = false;
      recordUnrecorded(accepted);
    } else unrecordedOn.push(accepted);
  }
}

/** A request without a record ended: counted, or recorded when its shape's allowance shows it. */
function endUnrecorded(accepted: Rec, state: Ended): void {
  const more = accepted.more;
  const req = more.unrecorded as ServerRequest;
  const now = clock.now();
  if (endedUnrecorded('io', serverFamily(req.method), accepted.site, now - more.unrecordedT0, state)) {
    more.unrecorded = null;
    return;
  }
  const rec = recordUnrecorded(accepted, false);
  if (rec === undefined) return;
  rec.flags |= RecordBit.Allowed;
  endResource(rec, state);
}

const serverFamilies = new Map<string, string>();
function serverFamily(method: string | undefined): string {
  const m = method ?? '';
  let family = serverFamilies.get(m);
  if (family === undefined) serverFamilies.set(m, (family = `HTTP server ${m}`));
  return family;
}

/**
 * Ends on the http.server.response.finish channel: nothing to wrap. Wrapping ServerResponse's emit as well
 * as the server's made Node's own emit calls polymorphic: the two wrappers cost a busy server ~5%, the
 * server's alone ~1%, the channel nothing measurable.
 */
function endServedOnFinish(): void {
  on('http.server.response.finish', (m: { request: ServerRequest; socket: Socket }) => {
    const accepted = recordOf(m.socket);
    if (accepted !== undefined && accepted.more.unrecorded === m.request) endUnrecorded(accepted, State.Done);
    else endRecorded(m.request, accepted);
    // A keep-alive connection idles once its response is sent (as a client socket parked in its agent's
    // pool): its work is done. The next request on it shows as its own served request.
    if (accepted !== undefined && m.socket.destroyed !== true) endResource(accepted, State.Done);
  });
}

function endRecorded(req: ServerRequest, accepted: Rec | undefined): void {
  const rec = recordOf(req);
  if (rec === undefined) return;
  endResource(rec, State.Done);
  const inFlight = accepted === undefined ? null : accepted.more.inFlight;
  const i = inFlight === null ? -1 : inFlight.lastIndexOf(rec);
  if (i !== -1) inFlight!.splice(i, 1);
}

/** A served request in flight on its connection: cancelled if the connection closes before it finishes. */
function inFlightOn(socket: Socket | null | undefined, rec: Rec): void {
  if (!socket) return;
  // A connection accepted before the agent was loaded (attach) gets its record at its first request.
  const accepted = recordOf(socket) ?? acceptedSocket(socket);
  (accepted.more.inFlight ??= []).push(rec);
}

/** The connection closed: its requests not finished are cancelled. */
function cancelInFlight(accepted: Rec): void {
  if (accepted.more.unrecorded !== null) endUnrecorded(accepted, State.Cancelled);
  const inFlight = accepted.more.inFlight;
  if (inFlight === null) return;
  accepted.more.inFlight = null;
  for (const r of inFlight) endResource(r, State.Cancelled);
}
