/**
 * A minimal Chrome DevTools Protocol client for tests (Node 20 has no WebSocket client without a flag):
 * the HTTP upgrade, masked text frames out, unmasked frames in. Enough to drive `node --inspect`.
 */
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { Socket } from 'node:net';

type Listener = (params: Record<string, unknown>) => void;

export class CdpClient {
  private nextId = 1;
  private readonly waiting = new Map<number, { ok: (v: Record<string, unknown>) => void; fail: (e: Error) => void }>();
  private readonly listeners = new Map<string, Listener[]>();
  private buffer = Buffer.alloc(0);

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.read(chunk));
    socket.on('close', () => {
      for (const w of this.waiting.values()) w.fail(new Error('CDP connection closed'));
      this.waiting.clear();
    });
  }

  /** Connects to `ws://host:port/path` as printed by `node --inspect` ("Debugger listening on …"). */
  static connect(url: string): Promise<CdpClient> {
    const u = new URL(url);
    return new Promise((ok, fail) => {
      const req = request({
        host: u.hostname, port: u.port, path: u.pathname,
        headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': randomBytes(16).toString('base64') },
      });
      req.on('upgrade', (_res, socket) => ok(new CdpClient(socket)));
      req.on('error', fail);
      req.end();
    });
  }

  send(method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    const payload = Buffer.from(JSON.stringify({ id, method, params }));
    const mask = randomBytes(4);
    const len = payload.length;
    const head = len < 126 ? Buffer.from([0x81, 0x80 | len]) : Buffer.from([0x81, 0x80 | 126, len >> 8, len & 255]);
    for (let i = 0; i < len; i++) payload[i] ^= mask[i & 3];
    this.socket.write(Buffer.concat([head, mask, payload]));
    return new Promise((ok, fail) => this.waiting.set(id, { ok, fail }));
  }

  on(event: string, listener: Listener): void {
    const list = this.listeners.get(event) ?? [];
    list.push(listener);
    this.listeners.set(event, list);
  }

  /** The next `event`'s params. */
  once(event: string): Promise<Record<string, unknown>> {
    return new Promise((ok) => {
      let fired = false;
      this.on(event, (p) => {
        if (!fired) ok(p);
        fired = true;
      });
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private read(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const b = this.buffer;
      if (b.length < 2) return;
      let len = b[1] & 127;
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
      const opcode = b[0] & 15;
      const text = b.subarray(at, at + len).toString('utf8');
      this.buffer = b.subarray(at + len);
      if (opcode === 1) this.dispatch(JSON.parse(text) as { id?: number; method?: string; params?: Record<string, unknown>; result?: Record<string, unknown>; error?: { message: string } });
    }
  }

  private dispatch(msg: { id?: number; method?: string; params?: Record<string, unknown>; result?: Record<string, unknown>; error?: { message: string } }): void {
    if (msg.id !== undefined) {
      const w = this.waiting.get(msg.id);
      this.waiting.delete(msg.id);
      if (msg.error) w?.fail(new Error(msg.error.message));
      else w?.ok(msg.result ?? {});
      return;
    }
    for (const l of this.listeners.get(msg.method ?? '') ?? []) l(msg.params ?? {});
  }
}
