/**
 * The private channel agents connect to: a Unix socket in a fresh 0700 directory (TCP loopback on Windows),
 * guarded by a per-session token that must arrive in the first line (`hello`). A connection whose first line
 * is anything else, whose hello is late, too long or a copy of one already used (a replay: each agent's hello
 * has its own pid, thread and start time, even after an exec), is closed and counted (`rejected`); the
 * session goes on.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { LineDecoder } from '../protocol/framing';
import { PROTOCOL_VERSION, type AgentConfig, type AgentMessage } from '../protocol/events';
import { agentEnvironment, type AgentEnvironment } from './agent-env';
import { makeChannelDir, removeChannelDir } from './channel-dir';

export interface ChannelLimits {
  /** A connection must say hello within this long (agents do it as soon as they connect). */
  helloTimeoutMs: number;
  /**
   * Connections not yet greeted, at most. Past it (a flood) the oldest waiting one is closed: an agent says
   * hello at once, so it gets in while a flood only pushes out its own connections.
   */
  maxUngreeted: number;
  /**
   * Traced processes connected at once, at most (a process's main-thread hello; its Node worker threads do not
   * count). Past it a process's connection is refused and counted: that process runs untraced.
   */
  maxProcesses: number;
}

const DEFAULT_LIMITS: ChannelLimits = { helloTimeoutMs: 15_000, maxUngreeted: 128, maxProcesses: 64 };
/** A hello is a few hundred bytes; a first line longer than this is not one. */
const MAX_HELLO_BYTES = 64 * 1024;

export interface ChannelCallbacks {
  message(conn: number, msg: AgentMessage): void;
  warning(text: string): void;
  /** Every connection has closed, and at least one agent had said hello (it may not be the last). */
  idle?(): void;
  /** A connection was refused (the first is also told as a warning); `reason` says why. */
  rejected?(reason: string): void;
  /** An agent's line could not be read and was skipped (the first is also told as a warning). */
  malformed?(reason: string): void;
}

export class ChannelServer {
  readonly token = randomBytes(16).toString('hex');
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly dir: string | undefined;
  private nextConn = 0;
  private greetedOnce = false;
  /** Connections waiting for their hello, oldest first. */
  private readonly ungreeted = new Set<Socket>();
  private rejectedCount = 0;
  private malformedCount = 0;
  /** Greeted main-thread connections open now (traced processes). */
  private liveProcesses = 0;
  /** The identity (pid, thread, start time) of every hello accepted: a second one is a replay. */
  private readonly seen = new Set<string>();
  private closedWaiters: Array<() => void> = [];

  private constructor(
    private readonly callbacks: ChannelCallbacks, dir: string | undefined, private readonly limits: ChannelLimits,
  ) {
    this.dir = dir;
    this.server = createServer((socket) => this.accept(socket));
  }

  /** Starts listening; `address` is what goes into ASYNC_INSPECTOR_CHANNEL. */
  static async open(
    callbacks: ChannelCallbacks, limits: Partial<ChannelLimits> = {},
  ): Promise<{ channel: ChannelServer; address: string }> {
    const all = { ...DEFAULT_LIMITS, ...limits };
    if (process.platform === 'win32') {
      const channel = new ChannelServer(callbacks, undefined, all);
      await new Promise<void>((ok, fail) => channel.server.once('error', fail).listen(0, '127.0.0.1', ok));
      const port = (channel.server.address() as { port: number }).port;
      return { channel, address: `tcp:127.0.0.1:${port}` };
    }
    const dir = makeChannelDir();
    const channel = new ChannelServer(callbacks, dir, all);
    const path = `${dir}/agent.sock`;
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

  /** The number the next connection will get (connections are numbered from 0 in the order they came). */
  get nextConnection(): number {
    return this.nextConn;
  }

  /** Connections refused so far (no hello with the token first, late, replayed, or a flood). */
  get rejected(): number {
    return this.rejectedCount;
  }

  /** Lines of greeted connections skipped because they could not be read. */
  get malformedLines(): number {
    return this.malformedCount;
  }

  close(): void {
    for (const s of this.sockets) s.destroy();
    this.server.close();
    if (this.dir) removeChannelDir(this.dir);
  }

  private reject(socket: Socket, reason: string): void {
    if (socket.destroyed) return;
    socket.destroy();
    this.rejectedCount++;
    if (this.rejectedCount === 1) this.callbacks.warning(`refused a channel connection: ${reason} (further refusals are only counted)`);
    this.callbacks.rejected?.(reason);
  }

  private skipped(reason: string): void {
    this.malformedCount++;
    if (this.malformedCount === 1) this.callbacks.warning(`channel: ${reason} (further malformed lines are only counted)`);
    this.callbacks.malformed?.(reason);
  }

  /** Why a first message does not open a session, or undefined when it does. */
  private refusal(msg: AgentMessage): string | undefined {
    if (msg.type !== 'hello' || msg.token !== this.token) return 'its first line was not a hello with the session token';
    if (msg.protocol !== PROTOCOL_VERSION) return `it speaks protocol ${String(msg.protocol)}, expected ${PROTOCOL_VERSION}`;
    if (this.seen.has(identity(msg))) return `it replayed the hello of another connection (pid ${String(msg.pid)})`;
    return undefined;
  }

  private accept(socket: Socket): void {
    socket.on('error', () => {}); // an agent dying mid-write is an ordinary end of stream
    if (this.ungreeted.size >= this.limits.maxUngreeted) {
      const oldest = this.ungreeted.values().next().value as Socket;
      this.ungreeted.delete(oldest);
      this.reject(oldest, 'too many connections waiting to say hello');
    }
    const conn = this.nextConn++;
    let greeted = false;
    /** The agent's clock start and whether it said goodbye: a connection closing without a `bye` gets one. */
    let startEpochMs = Date.now();
    let saidBye = false;
    let isProcess = false;
    this.sockets.add(socket);
    this.ungreeted.add(socket);
    const helloTimer = setTimeout(() => this.reject(socket, 'no hello in time'), this.limits.helloTimeoutMs);
    helloTimer.unref();
    socket.setEncoding('utf8');
    const decoder = new LineDecoder(
      (msg) => {
        if (socket.destroyed) return;
        if (!greeted) {
          const refused = this.refusal(msg);
          if (refused !== undefined) return this.reject(socket, refused);
          isProcess = msg.type === 'hello' && msg.threadId === undefined;
          if (isProcess && this.liveProcesses >= this.limits.maxProcesses) {
            const pid = msg.type === 'hello' ? msg.pid : '?';
            return this.reject(socket, `more than ${this.limits.maxProcesses} traced processes at once (pid ${pid} runs untraced)`);
          }
          if (isProcess) this.liveProcesses++;
          greeted = true;
          clearTimeout(helloTimer);
          this.ungreeted.delete(socket);
          this.greetedOnce = true;
          this.seen.add(identity(msg));
          if (msg.type === 'hello' && typeof msg.startEpochMs === 'number') startEpochMs = msg.startEpochMs;
        }
        if (msg.type === 'bye') saidBye = true;
        this.callbacks.message(conn, msg);
      },
      (reason) => {
        if (socket.destroyed) return;
        if (!greeted) this.reject(socket, 'its first line was not a hello with the session token');
        else this.skipped(reason);
      },
    );
    socket.on('data', (chunk: string) => {
      if (socket.destroyed) return;
      decoder.push(chunk);
      if (!greeted && decoder.pendingLength > MAX_HELLO_BYTES) this.reject(socket, 'its first line is too long for a hello');
    });
    socket.on('close', () => {
      clearTimeout(helloTimer);
      this.ungreeted.delete(socket);
      if (greeted) {
        if (isProcess) this.liveProcesses--;
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

/** Which agent a hello speaks for: its process, Node worker thread and clock start (new after an exec). */
function identity(msg: AgentMessage): string {
  return msg.type === 'hello' ? `${String(msg.pid)}:${String(msg.threadId ?? 'main')}:${String(msg.startEpochMs)}` : '';
}

/** A channel open for agents, and the environment that makes a program's agent connect to it. */
export async function openAgentChannel(
  callbacks: ChannelCallbacks, config: AgentConfig, distDir: string,
): Promise<{ channel: ChannelServer; agent: AgentEnvironment }> {
  const { channel, address } = await ChannelServer.open(callbacks);
  return { channel, agent: agentEnvironment(address, channel.token, config, distDir) };
}
