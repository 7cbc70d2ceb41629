/**
 * TCP sockets, client and accepted: their records, names (the peer's address) and ends, and the server's
 * listen line they are created at. Subscribed through diagnostics_channel (net-http.ts).
 */
import * as dc from 'node:diagnostics_channel';
import { userStack } from '../frames';
import { fault, FAULTS } from '../faults';
import { agentError, guard, shielded } from '../guard';
import { recordOf, setRecord, State, type Rec } from '../records';
import { endResource, nameNow, rename, replace, type Handle } from './track';

type Emitter = { once(ev: string, fn: (...a: unknown[]) => void): unknown };
type Peer = { address?: string; port?: number };
export type Socket = Handle & Emitter & {
  remoteAddress?: string; remotePort?: number; server?: { address?(): unknown } | null; destroyed?: boolean;
  connecting?: boolean; _peername?: Peer; _handle?: { getpeername?(out: Peer): number } | null;
};

/**
 * `self` is the subscriber: the creation site starts below it (a stack capture must name a frame on the
 * stack). Shielded inline: these run per request and per connection.
 */
export function on<T>(name: string, handler: (message: T, self: Function) => void): void {
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

/**
 * Where each server was told to listen (the program's `server.listen(...)` / `app.listen(...)` line): its
 * accepted sockets and served requests, which the client created, point there. One stack per listen call.
 */
const listenSites = new WeakMap<object, number>();

export function rememberListenSite(listen: Function): Function {
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

export function serverSite(server: unknown): number | null {
  return typeof server === 'object' && server !== null ? listenSites.get(server) ?? null : null;
}

/** `beforeEnd`: what else ends with the socket (an accepted one's requests in flight). */
export function trackSocket(socket: Socket, rec: Rec, beforeEnd?: (rec: Rec) => void): void {
  setRecord(socket, rec);
  socket.once('connect', () => shielded('socket connect', () => rename(rec, peerName('TCP', socket))));
  socket.once('close', (hadError: unknown) => shielded('socket end', () => {
    beforeEnd?.(rec);
    endResource(rec, hadError ? State.Failed : State.Done);
  }));
  // An HTTP client socket is 'free' once its response is read: a keep-alive agent then parks it, unref'd,
  // in its pool, where it may stay open until the program exits. Its work is done; a reuse shows as the
  // next HTTP request.
  socket.once('free', () => shielded('socket end', () => endResource(rec, State.Done)));
}

/** `prefix address:port`, or just `prefix` while (or once) the peer is unknown: never an empty address. */
export function peerName(prefix: string, socket: Socket): string {
  return knownPeerName(prefix, socket) ?? prefix;
}

/** `prefix address:port`, or undefined when the peer is unknown (one getpeername at most). */
export function knownPeerName(prefix: string, socket: Socket): string | undefined {
  const peer = peerOf(socket);
  return peer?.address === undefined ? undefined : `${prefix} ${peer.address}:${peer.port ?? ''}`;
}

/**
 * The peer's address, asked of the socket's handle as `socket.remoteAddress` does, but without storing it on
 * the socket (`_peername`): added at a different point of each socket's life, that property gave Node's
 * stream and http code five socket shapes instead of two (megamorphic loads: 0.5% -> 2.3% of a busy server's
 * main thread). What the program already asked for is used as it is.
 */
function peerOf(socket: Socket): Peer | undefined {
  const known = socket._peername;
  if (known !== undefined) return known;
  const handle = socket._handle;
  if (!handle || typeof handle.getpeername !== 'function' || socket.connecting === true) return undefined;
  const out: Peer = {};
  return handle.getpeername(out) === 0 ? out : undefined;
}

/**
 * A socket's name is built lazily, at the flush that publishes it; the peer address comes from its OS handle,
 * which is gone once the socket is destroyed. A tracked socket destroyed before it was published is named
 * just before its handle closes (one getpeername, only for those).
 */
export function nameBeforeClosing(proto: Record<string, unknown>): void {
  replace(proto, '_destroy', (destroy) => function (this: Socket): unknown {
    const rec = recordOf(this);
    if (rec !== undefined && rec.nameFn !== null && !guard.busy) shielded('socket name', () => nameNow(rec));
    return Reflect.apply(destroy, this, arguments);
  });
}
