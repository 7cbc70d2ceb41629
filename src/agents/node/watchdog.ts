/**
 * The agent's writer thread (bundled to dist/agent-node-watchdog.js). It owns the channel socket so the
 * program's thread never blocks on it: the main thread posts NDJSON text, this thread writes it, and it
 * reports progress through the shared counters (writer-protocol.ts). It runs in its own isolate, so the
 * program's promise hooks never see its I/O.
 */
import { connect, type Socket } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { watchStalls } from './stall-watch';
import { isWriterData, SLOT, SLOTS, type WriterMessage } from './writer-protocol';

const PARENT_WAIT_MS = 3000;

function run(): void {
  if (!isWriterData(workerData) || !parentPort) return;
  const state = new Int32Array(workerData.shared, 0, SLOTS);
  const port = parentPort;
  const queue: string[] = [];
  let socket: Socket | undefined;
  let ending = false;

  const stalls = workerData.stallSampleMs > 0 ? watchStalls(state, workerData.stallSampleMs) : null;

  const finish = (): void => {
    stalls?.stop();
    Atomics.store(state, SLOT.done, 1);
    Atomics.notify(state, SLOT.done);
    port.close();
  };
  const fail = (): void => {
    Atomics.store(state, SLOT.link, 2);
    socket?.destroy();
    finish();
  };
  const write = (text: string): void => {
    socket!.write(text, () => Atomics.add(state, SLOT.written, 1));
  };
  const end = (): void => {
    if (!socket || Atomics.load(state, SLOT.link) !== 1) return;
    socket.end(finish);
  };

  const open = (channel: string): void => {
    try {
      socket = openSocket(channel);
    } catch {
      fail();
      return;
    }
    socket.on('error', fail);
    socket.on('close', () => {
      if (Atomics.load(state, SLOT.done) === 0) fail();
    });
    socket.on('connect', () => {
      socket!.setNoDelay(true);
      Atomics.store(state, SLOT.link, 1);
      for (const text of queue.splice(0)) write(text);
      if (ending) end();
    });
  };
  const parent = workerData.parentLink ? new Int32Array(workerData.parentLink, 0, SLOTS) : undefined;
  if (parent) afterParent(parent, () => open(workerData.channel));
  else open(workerData.channel);

  port.on('message', (msg: WriterMessage) => {
    if (Atomics.load(state, SLOT.link) === 2) return;
    if (msg.kind === 'end') {
      ending = true;
      stalls?.stop(); // the main thread is exiting: no session may stay connected to it
    }
    if (Atomics.load(state, SLOT.link) === 1) {
      write(msg.text);
      if (ending) end();
    } else queue.push(msg.text);
  });
}

/**
 * A worker's connection comes after its parent's, so the process's main thread is the first connection.
 * Bounded: a parent that never connects (stuck before its first turn) does not keep the worker untraced.
 */
function afterParent(parent: Int32Array, then: () => void): void {
  const until = Date.now() + PARENT_WAIT_MS;
  const check = (): void => {
    if (Atomics.load(parent, SLOT.link) !== 0 || Date.now() >= until) then();
    else setTimeout(check, 5);
  };
  check();
}

function openSocket(channel: string): Socket {
  if (channel.startsWith('unix:')) return connect(channel.slice(5));
  const m = /^tcp:(.*):(\d+)$/.exec(channel);
  if (!m) throw new Error(`unsupported channel address ${channel}`);
  return connect(Number(m[2]), m[1]);
}

try {
  run();
} catch {
  // The writer must never take the program down; the main thread sees the link stay unconnected.
}
