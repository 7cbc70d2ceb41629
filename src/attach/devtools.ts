/**
 * A minimal client of Node's inspector (the Chrome DevTools protocol over a WebSocket on 127.0.0.1): enough
 * to send commands and read their results. Text frames only, client frames masked (RFC 6455); no extensions.
 */
import { randomBytes } from 'node:crypto';
import { get } from 'node:http';
import { connect, type Socket } from 'node:net';

export class DevtoolsError extends Error {}

/** The WebSocket URL of the inspector listening on `port`, or undefined when that port is no inspector. */
export function inspectorUrl(port: number, timeoutMs = 2000): Promise<string | undefined> {
  return new Promise((done) => {
    const req = get({ host: '127.0.0.1', port, path: '/json/list', timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => {
        try {
          const list = JSON.parse(body) as Array<{ webSocketDebuggerUrl?: string }>;
          done(list.find((t) => typeof t.webSocketDebuggerUrl === 'string')?.webSocketDebuggerUrl);
        } catch {
          done(undefined);
        }
      });
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => done(undefined));
  });
}

interface Pending {
  ok(result: Record<string, unknown>): void;
  fail(err: Error): void;
}

type EventListener = (params: Record<string, unknown>) => void;

export class DevtoolsSession {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, EventListener[]>();
  private buffer: Buffer = Buffer.alloc(0);
  private closed = false;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => this.failAll(new DevtoolsError('the inspector closed the connection')));
    socket.on('error', () => {});
  }

  static open(url: string, timeoutMs = 5000): Promise<DevtoolsSession> {
    const m = /^ws:\/\/([^/:]+):(\d+)(\/.*)$/.exec(url);
    if (!m) return Promise.reject(new DevtoolsError(`not an inspector URL: ${url}`));
    const [, host, port, path] = m;
    return new Promise((ok, fail) => {
      const socket = connect({ host, port: Number(port) });
      const timer = setTimeout(() => {
        socket.destroy();
        fail(new DevtoolsError('the inspector did not answer the WebSocket handshake'));
      }, timeoutMs);
      socket.once('error', (err) => {
        clearTimeout(timer);
        fail(new DevtoolsError(`cannot reach the inspector: ${err.message}`));
      });
      socket.once('connect', () => {
        const key = randomBytes(16).toString('base64');
        socket.write(
          `GET ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
        );
        let head = Buffer.alloc(0);
        const onData = (chunk: Buffer) => {
          head = Buffer.concat([head, chunk]);
          const end = head.indexOf('\r\n\r\n');
          if (end < 0) return;
          socket.off('data', onData);
          clearTimeout(timer);
          if (!/^HTTP\/1\.1 101/.test(head.subarray(0, end).toString('latin1'))) {
            socket.destroy();
            fail(new DevtoolsError('the inspector refused the WebSocket upgrade (another debugger may be connected)'));
            return;
          }
          const session = new DevtoolsSession(socket);
          if (head.length > end + 4) session.receive(head.subarray(end + 4));
          ok(session);
        };
        socket.on('data', onData);
      });
    });
  }

  send(method: string, params: Record<string, unknown> = {}, timeoutMs = 15_000): Promise<Record<string, unknown>> {
    if (this.closed) return Promise.reject(new DevtoolsError('the inspector connection is closed'));
    const id = this.nextId++;
    this.writeFrame(JSON.stringify({ id, method, params }));
    return new Promise((ok, fail) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        fail(new DevtoolsError(`the inspector did not answer ${method} within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.pending.set(id, {
        ok: (r) => (clearTimeout(timer), ok(r)),
        fail: (e) => (clearTimeout(timer), fail(e)),
      });
    });
  }

  /** Calls `listener` with the params of every `event` (e.g. Debugger.paused) from now on. */
  on(event: string, listener: EventListener): void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
  }

  /** The params of the next `event`. */
  once(event: string): Promise<Record<string, unknown>> {
    return new Promise((ok) => {
      const listener: EventListener = (params) => {
        this.listeners.set(event, (this.listeners.get(event) ?? []).filter((l) => l !== listener));
        ok(params);
      };
      this.on(event, listener);
    });
  }

  close(): void {
    this.closed = true;
    this.socket.end();
    this.socket.destroy();
  }

  private writeFrame(text: string): void {
    const payload = Buffer.from(text, 'utf8');
    const len = payload.length;
    const head = len < 126 ? Buffer.from([0x81, 0x80 | len]) : len < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
    if (len >= 126 && len < 65536) {
      head[0] = 0x81;
      head[1] = 0x80 | 126;
      head.writeUInt16BE(len, 2);
    } else if (len >= 65536) {
      head[0] = 0x81;
      head[1] = 0x80 | 127;
      head.writeBigUInt64BE(BigInt(len), 2);
    }
    const mask = randomBytes(4);
    for (let i = 0; i < len; i++) payload[i] ^= mask[i & 3];
    this.socket.write(Buffer.concat([head, mask, payload]));
  }

  private receive(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      const b = this.buffer;
      if (b.length < 2) return;
      let len = b[1] & 0x7f;
      let at = 2;
      if (len === 126) {
        if (b.length < 4) return;
        len = b.readUInt16BE(2);
        at = 4;
      } else if (len === 127) {
        if (b.length < 10) return;
        len = Number(b.readBigUInt64BE(2));
        at = 10;
      }
      if (b.length < at + len) return;
      const opcode = b[0] & 0x0f;
      const payload = b.subarray(at, at + len);
      this.buffer = b.subarray(at + len);
      if (opcode === 0x1) this.message(payload.toString('utf8'));
      else if (opcode === 0x8) this.close();
    }
  }

  private message(text: string): void {
    let msg: { id?: number; method?: string; params?: Record<string, unknown>; result?: Record<string, unknown>; error?: { message?: string } };
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof msg.id !== 'number') {
      if (typeof msg.method === 'string') for (const l of this.listeners.get(msg.method) ?? []) l(msg.params ?? {});
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (msg.error) p.fail(new DevtoolsError(msg.error.message ?? 'inspector error'));
    else p.ok(msg.result ?? {});
  }

  private failAll(err: Error): void {
    this.closed = true;
    for (const p of this.pending.values()) p.fail(err);
    this.pending.clear();
  }
}
