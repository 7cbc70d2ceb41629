/**
 * The writer thread's side of the program's traced worker threads (runs in dist/agent-node-writer.js).
 * A traced worker does not start a writer thread of its own (a thread costs ~20 ms of CPU to start, which
 * a pool of short-lived workers would pay again and again): it posts its lines on the hub, a
 * BroadcastChannel, and this thread gives each worker its own socket, its own connection to the inspector.
 * Worker sockets open only once the main thread's is connected, so the main thread is always the first
 * connection (the model takes the session and `bye.drained` from it). A worker's socket closes after its
 * `end`, when its creator says it is `gone` (terminated: it sends nothing more), or when the process ends.
 */
import { connect, type Socket } from 'node:net';
import { SLOT, SLOTS, type HubMessage } from './writer-protocol';

interface WorkerLink {
  state: Int32Array | undefined;
  socket: Socket | undefined;
  queue: string[];
  connected: boolean;
  /** Its `end` or `gone` came: the socket closes once what was queued is written. */
  ending: boolean;
  /** Its socket closed or failed: anything more from it is dropped. */
  dead: boolean;
}

export class WorkerSockets {
  private readonly links = new Map<number, WorkerLink>();
  private mainUp = false;
  private closing = false;

  constructor(private readonly channel: string) {}

  message(msg: HubMessage): void {
    if (this.closing) return;
    let link = this.links.get(msg.thread);
    if (msg.kind === 'gone') {
      if (link) this.end(link, msg.thread);
      return;
    }
    if (link === undefined) {
      const state = msg.state instanceof SharedArrayBuffer ? new Int32Array(msg.state, 0, SLOTS) : undefined;
      link = { state, socket: undefined, queue: [], connected: false, ending: false, dead: false };
      this.links.set(msg.thread, link);
      if (this.mainUp) this.open(link, msg.thread);
    }
    if (link.ending || link.dead) return;
    if (link.connected) this.write(link, msg.text);
    else link.queue.push(msg.text);
    if (msg.kind === 'end') this.end(link, msg.thread);
  }

  /** The counters of each worker still sending (its heartbeat is SLOT.beat: stall-watch.ts watches it). */
  *live(): Iterable<[number, Int32Array]> {
    for (const [thread, link] of this.links) if (link.state && !link.ending && !link.dead) yield [thread, link.state];
  }

  /** The main thread's socket is connected: the workers' may follow. */
  mainConnected(): void {
    this.mainUp = true;
    for (const [thread, link] of this.links) this.open(link, thread);
  }

  /**
   * The process is ending: ends every worker socket once what it queued is written (one still connecting
   * does so when it connects), then calls `done`. The main thread's exit wait bounds all of it.
   */
  endAll(done: () => void): void {
    if (this.closing) return done();
    this.closing = true;
    let open = 1;
    const closed = (): void => {
      if (--open === 0) done();
    };
    for (const link of this.links.values()) {
      if (link.socket === undefined || link.dead) continue;
      open++;
      link.socket.once('close', closed);
      if (!link.ending) {
        link.ending = true;
        if (link.connected) link.socket.end();
      }
    }
    this.links.clear();
    closed();
  }

  private open(link: WorkerLink, thread: number): void {
    if (link.socket || link.dead) return;
    const fail = (): void => {
      link.connected = false;
      link.dead = true;
      link.queue.length = 0;
      if (link.state) Atomics.store(link.state, SLOT.link, 2);
      link.socket?.destroy();
    };
    try {
      link.socket = openSocket(this.channel);
    } catch {
      fail();
      return;
    }
    link.socket.on('error', fail);
    link.socket.on('close', () => {
      link.connected = false;
      link.dead = true;
      if (link.state) Atomics.store(link.state, SLOT.done, 1);
      if (link.ending) this.links.delete(thread);
    });
    link.socket.on('connect', () => {
      link.socket!.setNoDelay(true);
      link.connected = true;
      if (link.state) Atomics.store(link.state, SLOT.link, 1);
      for (const text of link.queue.splice(0)) this.write(link, text);
      if (link.ending) link.socket!.end();
    });
  }

  private write(link: WorkerLink, text: string): void {
    link.socket!.write(text, () => {
      if (link.state) Atomics.add(link.state, SLOT.written, 1);
    });
  }

  /** Ends the worker's socket once what it queued is written (at once when connected, else on connect). */
  private end(link: WorkerLink, thread: number): void {
    if (link.dead) this.links.delete(thread);
    if (link.ending) return;
    link.ending = true;
    if (link.connected) link.socket!.end();
  }
}

export function openSocket(channel: string): Socket {
  if (channel.startsWith('unix:')) return connect(channel.slice(5));
  const m = /^tcp:(.*):(\d+)$/.exec(channel);
  if (!m) throw new Error(`unsupported channel address ${channel}`);
  return connect(Number(m[2]), m[1]);
}
