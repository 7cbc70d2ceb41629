/**
 * Sockets and HTTP through the public diagnostics_channel events (no async_hooks: see timers.ts).
 * Incoming requests also run their 'request' handlers as the request's record, so the promises a handler
 * makes are the request's children.
 */
import * as dc from 'node:diagnostics_channel';
import { userStack } from '../frames';
import { fault, FAULTS } from '../faults';
import { agentError, guard, shielded } from '../guard';
import { recordOf, setRecord, State, type Rec } from '../records';
import { endResource, nameNow, rename, replace, runAs, startIncoming, startResource, type Handle } from './track';

type Emitter = { once(ev: string, fn: (...a: unknown[]) => void): unknown };
type ClientRequest = Handle & Emitter & {
  method?: string; host?: string; path?: string; protocol?: string; res?: unknown; getHeader?(name: string): unknown;
};
type Socket = Handle & Emitter & { remoteAddress?: string; remotePort?: number; server?: { address?(): unknown } | null; destroyed?: boolean };
type ServerRequest = Handle & { method?: string; url?: string; socket?: Socket | null };

/** emit functions this module installed (a second install, e.g. another copy of the agent, leaves them). */
const wrappedEmits = new WeakSet<Function>();
/**
 * Where each server was told to listen (the program's `server.listen(...)` / `app.listen(...)` line): its
 * accepted sockets and served requests, which the client created, point there. One stack per listen call.
 */
const listenSites = new WeakMap<object, number>();

/** Loads http, https and net (in a worker, only once the program loads one: lazy-builtins.ts). */
export function installNetHttp(): void {
  const http: typeof import('node:http') = require('node:http');
  const https: typeof import('node:https') = require('node:https');
  const net: typeof import('node:net') = require('node:net');
  // http.client.request.start is published when the request goes out, off the caller's stack: the public
  // request functions are wrapped instead, so the site is the line that made the request.
  for (const mod of [http, https]) for (const fn of ['request', 'get']) replace(mod, fn, wrapRequest);
  on('http.client.request.error', (m: { request: ClientRequest; error: unknown }) => {
    const rec = recordOf(m.request);
    if (rec) endResource(rec, State.Failed, m.error);
  });
  on('net.client.socket', (m: { socket: Socket }, self) => {
    const rec = startResource('io', 'TCP connect', self, 0, 'TCP');
    if (rec) trackSocket(m.socket, rec);
  });
  replace(net.Server.prototype as unknown as Record<string, unknown>, 'listen', rememberListenSite);
  on('net.server.socket', (m: { socket: Socket }) => {
    const rec = acceptedSocket(m.socket);
    if (m.socket.destroyed === true) nameNow(rec); // by its 'connection' handler: name it while the server listens
  });
  nameBeforeClosing(net.Socket.prototype as unknown as Record<string, unknown>);
  for (const Server of [http.Server, https.Server]) runRequestsAs(Server.prototype as unknown as { emit: Function });
  endServedOnFinish();
}

function rememberListenSite(listen: Function): Function {
  const wrapped = function (this: object): unknown {
    if (!guard.busy && typeof this === 'object' && this !== null && !listenSites.has(this)) {
      shielded('listen site', () => {
        const site = userStack(wrapped, 12)[0];
        if (site !== undefined) listenSites.set(this, site);
      });
    }
    return Reflect.apply(listen, this, arguments);
  };
  return wrapped;
}

function serverSite(server: unknown): number | null {
  return typeof server === 'object' && server !== null ? listenSites.get(server) ?? null : null;
}

function wrapRequest(orig: Function): Function {
  const wrapped = function (this: unknown): unknown {
    const req = Reflect.apply(orig, this, arguments) as ClientRequest;
    if (!guard.busy && req && typeof req === 'object') {
      shielded('http request', () => {
        const host = String(req.getHeader?.('host') ?? req.host ?? '');
        const name = `HTTP ${req.method ?? 'GET'} ${req.protocol ?? 'http:'}//${host}${req.path ?? ''}`;
        const rec = startResource('io', name, wrapped, 0, `HTTP ${req.method ?? 'GET'} ${req.protocol ?? 'http:'}//${host}`);
        if (!rec) return;
        setRecord(req, rec);
        req.once('close', () => shielded('http request end', () => endResource(rec, req.res ? State.Done : State.Failed)));
      });
    }
    return req;
  };
  return wrapped;
}

const serverFamilies = new Map<string, string>();
function serverFamily(method: string | undefined): string {
  const m = method ?? '';
  let family = serverFamilies.get(m);
  if (family === undefined) serverFamilies.set(m, (family = `HTTP server ${m}`));
  return family;
}

/**
 * `self` is the subscriber: the creation site starts below it (a stack capture must name a frame on the
 * stack). Shielded inline: these run per request and per connection.
 */
function on<T>(name: string, handler: (message: T, self: Function) => void): void {
  const subscriber = (message: unknown): void => {
    if (guard.busy) return;
    guard.busy = true;
    try {
      if (FAULTS) fault(name);
      handler(message as T, subscriber);
    } catch (err) {
      agentError(name, err);
    } finally {
      guard.busy = false;
    }
  };
  dc.subscribe(name, subscriber);
}

function trackSocket(socket: Socket, rec: Rec): void {
  setRecord(socket, rec);
  socket.once('connect', () => shielded('socket connect', () => rename(rec, peerName('TCP', socket))));
  socket.once('close', (hadError: unknown) => shielded('socket end', () => {
    cancelInFlight(rec);
    endResource(rec, hadError ? State.Failed : State.Done);
  }));
  // An HTTP client socket is 'free' once its response is read: a keep-alive agent then parks it, unref'd,
  // in its pool, where it may stay open until the program exits. Its work is done; a reuse shows as the
  // next HTTP request.
  socket.once('free', () => shielded('socket end', () => endResource(rec, State.Done)));
}

/** `prefix address:port`, or just `prefix` while (or once) the peer is unknown: never an empty address. */
function peerName(prefix: string, socket: Socket): string {
  const address = socket.remoteAddress;
  return address === undefined ? prefix : `${prefix} ${address}:${socket.remotePort ?? ''}`;
}

/**
 * By the client's address; when that is gone (a socket the 'connection' handler destroyed at once, before
 * the agent saw it) or never known (a Unix socket), by the server's address it came in on.
 */
function acceptedName(socket: Socket): string {
  if (socket.remoteAddress !== undefined) return peerName('TCP accepted', socket);
  const local = socket.server?.address?.();
  if (typeof local === 'string') return `TCP accepted on ${local}`;
  const inet = local as { address?: string; port?: number } | null | undefined;
  return inet?.port !== undefined ? `TCP accepted on ${inet.address ?? ''}:${inet.port}` : 'TCP accepted';
}

/**
 * A socket's name is built lazily, at the flush that publishes it; the peer address comes from its OS handle,
 * which is gone once the socket is destroyed. A tracked socket destroyed before it was published is named
 * just before its handle closes (one getpeername, only for those).
 */
function nameBeforeClosing(proto: Record<string, unknown>): void {
  replace(proto, '_destroy', (destroy) => function (this: Socket): unknown {
    const rec = recordOf(this);
    if (rec !== undefined && rec.nameFn !== null && !guard.busy) shielded('socket name', () => nameNow(rec));
    return Reflect.apply(destroy, this, arguments);
  });
}

/**
 * A served request ends done when its response finishes (the http.server.response.finish channel: nothing
 * to wrap), or cancelled when its connection closes first (trackSocket). Wrapping ServerResponse's emit as
 * well as the server's made Node's own emit calls polymorphic: the two wrappers cost a busy server ~5%, the
 * server's alone ~1%, the channel nothing measurable.
 */
function endServedOnFinish(): void {
  on('http.server.response.finish', (m: { request: ServerRequest; socket: Socket }) => {
    const rec = recordOf(m.request);
    if (rec === undefined) return;
    endResource(rec, State.Done);
    const accepted = recordOf(m.socket);
    if (accepted === undefined) return;
    const inFlight = accepted.more.inFlight;
    const i = inFlight === null ? -1 : inFlight.lastIndexOf(rec);
    if (i !== -1) inFlight!.splice(i, 1);
    // A keep-alive connection idles once its response is sent (as a client socket parked in its agent's
    // pool): its work is done. The next request on it shows as its own served request.
    if (m.socket.destroyed !== true) endResource(accepted, State.Done);
  });
}

/** A served request in flight on its connection: cancelled if the connection closes before it finishes. */
function inFlightOn(socket: Socket | null | undefined, rec: Rec): void {
  if (!socket) return;
  // A connection accepted before the agent was loaded (attach) gets its record at its first request.
  const accepted = recordOf(socket) ?? acceptedSocket(socket);
  (accepted.more.inFlight ??= []).push(rec);
}

/** A connection the server accepted: named by its client lazily, created at the server's listen line. */
function acceptedSocket(socket: Socket): Rec {
  const rec = startIncoming('io', 'TCP accepted', () => acceptedName(socket));
  rec.site = serverSite(socket.server);
  trackSocket(socket, rec);
  return rec;
}

function cancelInFlight(accepted: Rec): void {
  const inFlight = accepted.more.inFlight;
  if (inFlight === null) return;
  accepted.more.inFlight = null;
  for (const r of inFlight) endResource(r, State.Cancelled);
}

/**
 * A served request starts when its server emits it ('request', or 'checkContinue' / 'checkExpectation'
 * for an `Expect` header), and its listeners run as its record. Done here rather than on the
 * http.server.request.start channel: with no subscriber Node does not even build that channel's message,
 * and one wrapper does both jobs.
 */
function runRequestsAs(proto: { emit: Function }): void {
  const emit = proto.emit;
  if (typeof emit !== 'function' || wrappedEmits.has(emit)) return;
  const wrapped = function (this: unknown, event: unknown, req?: ServerRequest): unknown {
    if (event !== 'request' && event !== 'checkContinue' && event !== 'checkExpectation') return Reflect.apply(emit, this, arguments);
    const rec = typeof req !== 'object' || req === null || guard.busy ? undefined : (recordOf(req) ?? servedRequest(req));
    if (rec === undefined) return Reflect.apply(emit, this, arguments);
    if (rec.site === null) rec.site = serverSite(this);
    return runAs(rec, emit as (...a: unknown[]) => unknown, this, arguments);
  };
  wrappedEmits.add(wrapped);
  proto.emit = wrapped;
}

/**
 * Named now: a closure over the request would keep it alive until the next flush (GC promotion measurably
 * slowed a busy server). No site: its creator is the client. Its end is seen by endServedOnClose.
 */
function servedRequest(req: ServerRequest): Rec | undefined {
  try {
    if (FAULTS) fault('served request');
    const rec = startIncoming('io', serverFamily(req.method), null);
    rec.name = `HTTP server ${req.method ?? ''} ${req.url ?? ''}`;
    setRecord(req, rec);
    inFlightOn(req.socket, rec);
    return rec;
  } catch (err) {
    agentError('served request', err);
    return undefined;
  }
}
