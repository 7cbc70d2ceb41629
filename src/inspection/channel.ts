/**
 * The private channel agents connect to: a Unix socket in a fresh 0700 directory (TCP loopback on Windows),
 * guarded by a per-session token that must arrive in the first line (`hello`).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LineDecoder } from '../protocol/framing';
import { PROTOCOL_VERSION, type AgentConfig, type AgentMessage } from '../protocol/events';
import { agentEnvironment, type AgentEnvironment } from './agent-env';

export interface ChannelCallbacks {
  message(conn: number, msg: AgentMessage): void;
  warning(text: string): void;
  /** Every connection has closed, and at least one agent had said hello (it may not be the last). */
  idle?(): void;
}

export class ChannelServer {
  readonly token = randomBytes(16).toString('hex');
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly dir: string | undefined;
  private nextConn = 0;
  private greetedOnce = false;
  private closedWaiters: Array<() => void> = [];

  private constructor(private readonly callbacks: ChannelCallbacks, dir: string | undefined) {
    this.dir = dir;
    this.server = createServer((socket) => this.accept(socket));
  }

  /** Starts listening; `address` is what goes into ASYNC_INSPECTOR_CHANNEL. */
  static async open(callbacks: ChannelCallbacks): Promise<{ channel: ChannelServer; address: string }> {
    if (process.platform === 'win32') {
      const channel = new ChannelServer(callbacks, undefined);
      await new Promise<void>((ok, fail) => channel.server.once('error', fail).listen(0, '127.0.0.1', ok));
      const port = (channel.server.address() as { port: number }).port;
      return { channel, address: `tcp:127.0.0.1:${port}` };
    }
    const dir = mkdtempSync(join(tmpdir(), 'async-inspector-'));
    const channel = new ChannelServer(callbacks, dir);
    const path = join(dir, 'agent.sock');
    await new Promise<void>((ok, fail) => channel.server.once('error', fail).listen(path, ok));
    return { channel, address: `unix:${path}` };
  }

  /** Resolves once every connection has ended, or after `timeoutMs` (a grandchild may keep one open). */
  whenIdle(timeoutMs: number): Promise<void> {
    if (this.sockets.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.closedWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Connections open now (greeted or not yet). */
  get connections(): number {
    return this.sockets.size;
  }

  close(): void {
    for (const s of this.sockets) s.destroy();
    this.server.close();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }

  private accept(socket: Socket): void {
    const conn = this.nextConn++;
    let greeted = false;
    /** The agent's clock start and whether it said goodbye: a connection closing without a `bye` gets one. */
    let startEpochMs = Date.now();
    let saidBye = false;
    this.sockets.add(socket);
    socket.setEncoding('utf8');
    const decoder = new LineDecoder(
      (msg) => {
        if (socket.destroyed) return;
        if (!greeted) {
          if (msg.type !== 'hello' || msg.token !== this.token) {
            this.callbacks.warning('rejected a channel connection without the session token');
            socket.destroy();
            return;
          }
          if (msg.protocol !== PROTOCOL_VERSION) {
            this.callbacks.warning(`agent speaks protocol ${msg.protocol}, expected ${PROTOCOL_VERSION}: ignoring it`);
            socket.destroy();
            return;
          }
          greeted = true;
          this.greetedOnce = true;
          if (typeof msg.startEpochMs === 'number') startEpochMs = msg.startEpochMs;
        }
        if (msg.type === 'bye') saidBye = true;
        this.callbacks.message(conn, msg);
      },
      (reason) => this.callbacks.warning(`channel: ${reason}`),
    );
    socket.on('data', (chunk: string) => {
      if (!socket.destroyed) decoder.push(chunk);
    });
    socket.on('error', () => {}); // an agent dying mid-write is an ordinary end of stream
    socket.on('close', () => {
      if (greeted) {
        decoder.end();
        // Killed, or a terminated worker thread: the model decides what an end without goodbye means.
        if (!saidBye) this.callbacks.message(conn, { type: 'bye', t: Math.max(0, Date.now() - startEpochMs) });
      }
      this.sockets.delete(socket);
      if (this.sockets.size === 0) {
        const waiters = this.closedWaiters;
        this.closedWaiters = [];
        for (const w of waiters) w();
        if (this.greetedOnce) this.callbacks.idle?.();
      }
    });
  }
}

/** A channel open for agents, and the environment that makes a program's agent connect to it. */
export async function openAgentChannel(
  callbacks: ChannelCallbacks, config: AgentConfig, distDir: string,
): Promise<{ channel: ChannelServer; agent: AgentEnvironment }> {
  const { channel, address } = await ChannelServer.open(callbacks);
  return { channel, agent: agentEnvironment(address, channel.token, config, distDir) };
}
