/**
 * Sockets and HTTP through the public diagnostics_channel events (no async_hooks: see timers.ts), and the
 * public request functions. The server side (served requests, accepted connections) is served-requests.ts;
 * sockets' records and names are sockets.ts.
 */
import { recordOf, setRecord, State } from '../records';
import { shielded, guard } from '../guard';
import { acceptedSocket, trackServedRequests } from './served-requests';
import { nameBeforeClosing, on, rememberListenSite, trackSocket, type Socket } from './sockets';
import { endResource, nameNow, replace, startResource, type Handle } from './track';

type ClientRequest = Handle & {
  once(ev: string, fn: (...a: unknown[]) => void): unknown;
  method?: string; host?: string; path?: string; protocol?: string; res?: unknown; getHeader?(name: string): unknown;
};

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
  trackServedRequests([http.Server.prototype, https.Server.prototype] as unknown as { emit: Function }[]);
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
