/**
 * The agent's writer thread (bundled to dist/agent-node-writer.js). It owns the channel socket so the
 * program's thread never blocks on it: the main thread posts NDJSON text, this thread writes it, and it
 * reports progress through the shared counters (writer-protocol.ts). It runs in its own isolate, so the
 * program's promise hooks never see its I/O. It also carries the connections of the program's traced
 * worker threads, which post their lines on the hub (writer-hub.ts).
 */
import type { Socket } from 'node:net';
import { BroadcastChannel, parentPort, workerData } from 'node:worker_threads';
import { writeSync } from 'node:fs';
import { encodeMessage } from '../../protocol/framing';
import { fault, faulty, FAULTS } from './faults';
import { watchStalls, watchWorkerStalls } from './stall-watch';
import { openSocket, WorkerSockets } from './writer-hub';
import { isWriterData, SLOT, SLOTS, type HubMessage, type WriterMessage } from './writer-protocol';

function run(): void {
  if (!isWriterData(workerData) || !parentPort) return;
  const state = new Int32Array(workerData.shared, 0, SLOTS);
  const port = parentPort;
  const queue: string[] = [];
  let socket: Socket | undefined;
  let ending = false;

  const stalls = workerData.stallSampleMs > 0 ? watchStalls(state, workerData.stallSampleMs, say) : null;
  const workers = workerData.hub ? new WorkerSockets(workerData.channel) : undefined;
  const hub = workerData.hub ? new BroadcastChannel(workerData.hub) : undefined;
  const workerStalls = workers && workerData.stallSampleMs > 0 ? watchWorkerStalls(() => workers.live(), workerData.stallSampleMs, say) : null;
  if (hub && workers) {
    hub.onmessage = guarded('writer hub', (ev) => workers.message((ev as { data: HubMessage }).data));
    hub.unref();
    Atomics.store(state, SLOT.hub, 1);
    Atomics.notify(state, SLOT.hub);
  }

  let finished = false;
  const finish = (): void => {
    if (finished) return;
    finished = true;
    stalls?.stop();
    workerStalls?.stop();
    hub?.close();
    Atomics.store(state, SLOT.done, 1);
    Atomics.notify(state, SLOT.done);
    port.close();
  };
  const fail = (): void => {
    Atomics.store(state, SLOT.fd, 0);
    Atomics.store(state, SLOT.link, 2);
    socket?.destroy();
    workers?.endAll(() => undefined);
    finish();
  };
  const write = (text: string): void => {
    // Counted as soon as the kernel has every byte (most writes, synchronously), else when the write completes:
    // a main thread stopped in a debugger may then write itself (writer-protocol.ts SLOT.claimed), even if this
    // thread does not get to run its callbacks meanwhile (js-debug debugs it through the stopped main thread).
    let counted = false;
    socket!.write(text, () => {
      if (!counted) Atomics.add(state, SLOT.written, 1);
    });
    if (socket!.writableLength === 0) {
      counted = true;
      Atomics.add(state, SLOT.written, 1);
    }
    if (!own.helloWritten) {
      own.helloWritten = true; // the first line the main thread posts is its hello
      own.send = (line) => {
        if (Atomics.load(state, SLOT.link) !== 1) return false;
        socket!.write(line); // not counted: SLOT.written counts the main thread's messages only
        return true;
      };
      for (const line of own.queued.splice(0)) own.send(line);
    }
  };
  // The main thread's socket first (its `bye` is the program's), then the workers' still open.
  const end = (): void => {
    if (!socket || Atomics.load(state, SLOT.link) !== 1) return;
    Atomics.store(state, SLOT.fd, 0);
    socket.end(() => (workers ? workers.endAll(finish) : finish()));
  };

  try {
    socket = openSocket(workerData.channel);
  } catch {
    fail();
    return;
  }
  socket.on('error', fail);
  socket.on('close', () => {
    if (!ending && !finished) fail(); // while ending, the end callback finishes (an error still fails)
  });
  socket.on('connect', () => {
    socket!.setNoDelay(true);
    const fd = (socket as unknown as { _handle?: { fd?: unknown } })._handle?.fd;
    if (typeof fd === 'number' && fd >= 0) Atomics.store(state, SLOT.fd, fd + 1);
    Atomics.store(state, SLOT.link, 1);
    for (const text of queue.splice(0)) write(text);
    workers?.mainConnected();
    if (ending) end();
  });

  let received = 0;
  port.on('message', guarded('writer', (msg: WriterMessage) => {
    received++;
    // Claimed already by a main thread stopped in a debugger, which wrote it itself (writer-protocol.ts).
    if (Atomics.compareExchange(state, SLOT.claimed, received - 1, received) !== received - 1) return;
    if (Atomics.load(state, SLOT.link) === 2) return;
    if (msg.kind === 'end') {
      ending = true;
      stalls?.stop(); // the main thread is exiting: no session may stay connected to it
      workerStalls?.stop();
    }
    const text = FAULTS ? faulty('writer', msg.text, () => 'garbage from the writer\n') : msg.text;
    if (Atomics.load(state, SLOT.link) === 1) {
      write(text);
      if (ending) end();
    } else queue.push(text);
  }));
}

const said = new Set<string>();
/**
 * The writer's own failures, once per place, and the writer goes on. Once the main thread's hello is on the socket
 * they go on it as `agent-error` lines (so the model says each once per run, whichever process); one before the
 * hello waits for it. The writer failing to write at all (`writer`) can only be said on the program's stderr.
 */
const own = { helloWritten: false, queued: [] as string[], send: (_line: string): boolean => false };

function guarded<A extends unknown[]>(where: string, fn: (...a: A) => void): (...a: A) => void {
  return (...a: A): void => {
    try {
      if (FAULTS && where !== 'writer') fault(where);
      fn(...a);
    } catch (err) {
      say(where, err);
    }
  };
}

function say(where: string, err: unknown): void {
  if (said.has(where)) return;
  said.add(where);
  const why = err instanceof Error ? err.message : String(err);
  try {
    if (where !== 'writer') {
      const line = encodeMessage({ type: 'agent-error', message: `${where}: ${why}` });
      if (!own.helloWritten) own.queued.push(line);
      else own.send(line);
      return;
    }
    writeSync(2, `async-inspector: agent failure in its writer thread (${where}: ${why})\n`);
  } catch {
    // stderr closed
  }
}

try {
  run();
} catch {
  // The writer must never take the program down; the main thread sees the link stay unconnected.
}
