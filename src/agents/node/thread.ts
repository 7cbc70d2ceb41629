/**
 * Which JS thread the agent traces: the process's main thread, or one of the program's worker threads
 * (each worker loads its own copy of the agent through NODE_OPTIONS and is its own connection).
 *
 * A worker cannot read its own `name` option or script file, so the tracing parent hands them over through
 * worker_threads' environment data (cloned into each Worker when it is constructed): the parent's Worker
 * class sets a label just for that construction (labelNextWorker). The parent's channel state goes along
 * too: a worker's writer waits until the parent is connected, so the process's main thread is always the
 * first connection (the model takes the session and `bye.drained` from it).
 */
import { basename } from 'node:path';
import workerThreads = require('node:worker_threads');

const ENV_DATA_KEY = 'asyncInspector.thread';

interface ThreadHandOver {
  /** The tracing parent's channel state (writer-protocol.ts SLOT.link says whether it is connected). */
  parentLink?: SharedArrayBuffer;
  /** What the parent's program called the worker: its `name` option, else its script's file name. */
  label?: string;
}

export interface ThreadInfo {
  /** worker_threads.threadId; undefined on the main thread. */
  threadId: number | undefined;
  /** The loop's name: `main`, `worker 2 (resize.js)`. */
  loopName: string;
  /** The thread's name, as executor records of the parent name it: `main`, `worker 2`. */
  threadName: string;
  parentLink: SharedArrayBuffer | undefined;
}

export function currentThread(): ThreadInfo {
  if (workerThreads.isMainThread) return { threadId: undefined, loopName: 'main', threadName: 'main', parentLink: undefined };
  const handed = readHandOver();
  const threadName = `worker ${workerThreads.threadId}`;
  return {
    threadId: workerThreads.threadId,
    loopName: handed.label ? `${threadName} (${handed.label})` : threadName,
    threadName,
    parentLink: handed.parentLink,
  };
}

let base: ThreadHandOver | undefined;

/** Hands this thread's channel state to every worker it creates from now on. */
export function handOverToWorkers(link: SharedArrayBuffer): void {
  base = { parentLink: link };
  workerThreads.setEnvironmentData(ENV_DATA_KEY, base as never);
}

/** Labels the Worker about to be constructed; call the returned function once it is. */
export function labelNextWorker(file: unknown, options: unknown): () => void {
  if (base === undefined) return () => undefined;
  const label = workerLabel(file, options);
  workerThreads.setEnvironmentData(ENV_DATA_KEY, { ...base, label } as never);
  return () => workerThreads.setEnvironmentData(ENV_DATA_KEY, base as never);
}

/** The worker's `name` option, else what it runs (scriptLabel). */
export function workerLabel(file: unknown, options: unknown): string {
  const name = typeof options === 'object' && options !== null ? (options as { name?: unknown }).name : undefined;
  return typeof name === 'string' && name !== '' ? name.slice(0, 80) : scriptLabel(file, options);
}

/** What a Worker runs: `(eval)` or its script's file name. */
export function scriptLabel(file: unknown, options: unknown): string {
  const evaluated = typeof options === 'object' && options !== null && (options as { eval?: unknown }).eval === true;
  return evaluated ? '(eval)' : file instanceof URL ? basename(file.pathname) : basename(String(file));
}

function readHandOver(): ThreadHandOver {
  try {
    const data = workerThreads.getEnvironmentData(ENV_DATA_KEY) as ThreadHandOver | undefined;
    return typeof data === 'object' && data !== null ? data : {};
  } catch {
    return {};
  }
}
