/**
 * Which JS thread the agent traces: the process's main thread, or one of the program's worker threads
 * (each worker loads its own copy of the agent through NODE_OPTIONS and is its own connection).
 *
 * What a worker needs from the thread that created it comes through worker_threads' environment data
 * (cloned into each Worker when it is constructed): the hub to send its lines on (hub-channel.ts), and its
 * label, since a worker cannot read its own `name` option or script file: the creator's Worker class sets
 * the label just for that construction (labelNextWorker), and says when the worker is gone.
 */
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import workerThreads = require('node:worker_threads');
import { isCommonJsEntry } from './entry-kind';
import type { AgentSettings } from './config';
import type { Hub } from './hub-channel';
import type { HubMessage } from './writer-protocol';

const ENV_DATA_KEY = 'asyncInspector.thread';
/** The BroadcastChannel the main thread's writer listens to (one per process: BroadcastChannels are). */
export const HUB_NAME = 'asyncInspector.writer-hub';

interface ThreadHandOver {
  hub?: Hub;
  /** What the creating program called the worker: its `name` option, else its script's file name. */
  label?: string;
  /** Its script: an absolute path, or a URL that is not a file's; absent for `eval: true` code. */
  entry?: string;
  evaluated?: boolean;
  /**
   * The creator's settings when it took the agent's variables out of the environment (traceChildren false):
   * absent for a worker given an environment of its own (`env: {...}`), which is traced only if that has them.
   */
  settings?: AgentSettings;
}

export interface ThreadInfo {
  /** worker_threads.threadId; undefined on the main thread. */
  threadId: number | undefined;
  /** The loop's name: `main`, `worker 2 (resize.js)`. */
  loopName: string;
  /** The thread's name, as executor records of the creator name it: `main`, `worker 2`. */
  threadName: string;
  /** A worker's way to the main thread's writer; undefined on the main thread (or when it is not traced). */
  hub: Hub | undefined;
  /** A worker whose entry is CommonJS (entry-kind.ts): its heavy builtins can be patched when loaded. */
  commonJsWorker: boolean;
}

export function currentThread(): ThreadInfo {
  if (workerThreads.isMainThread) {
    return { threadId: undefined, loopName: 'main', threadName: 'main', hub: undefined, commonJsWorker: false };
  }
  const handed = readHandOver();
  const threadName = `worker ${workerThreads.threadId}`;
  return {
    threadId: workerThreads.threadId,
    loopName: handed.label ? `${threadName} (${handed.label})` : threadName,
    threadName,
    hub: handed.hub,
    commonJsWorker: isCommonJsEntry(handed.entry, handed.evaluated === true),
  };
}

let base: ThreadHandOver | undefined;

/** Hands the hub (and the settings, when the environment no longer has them) to every worker this thread creates from now on. */
export function handOverToWorkers(hub: Hub, settings?: AgentSettings): void {
  base = settings ? { hub, settings } : { hub };
  workerThreads.setEnvironmentData(ENV_DATA_KEY, base as never);
}

/** Labels the Worker about to be constructed; call the returned function once it is. */
export function labelNextWorker(file: unknown, options: unknown): () => void {
  if (base === undefined) return () => undefined;
  const label = workerLabel(file, options);
  const evaluated = typeof options === 'object' && options !== null && (options as { eval?: unknown }).eval === true;
  const entry = evaluated ? undefined : entryOf(file);
  const env = typeof options === 'object' && options !== null ? (options as { env?: unknown }).env : undefined;
  const ownEnv = env !== undefined && env !== workerThreads.SHARE_ENV;
  const { settings, ...rest } = base;
  const handed: ThreadHandOver = { ...rest, label, entry, evaluated, ...(settings && !ownEnv ? { settings } : {}) };
  workerThreads.setEnvironmentData(ENV_DATA_KEY, handed as never);
  return () => workerThreads.setEnvironmentData(ENV_DATA_KEY, base as never);
}

/** A worker this thread created exited: its connection closes now, even if it could not say goodbye. */
export function workerGone(threadId: number | undefined): void {
  if (base?.hub === undefined || typeof threadId !== 'number' || threadId < 0) return;
  const hub = new workerThreads.BroadcastChannel(base.hub.name);
  try {
    hub.postMessage({ thread: threadId, kind: 'gone' } satisfies HubMessage);
  } finally {
    hub.close();
  }
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

/** A Worker's script as Node resolves it: a path relative to the working directory, or a URL. */
function entryOf(file: unknown): string | undefined {
  if (file instanceof URL) return file.protocol === 'file:' ? fileURLToPath(file) : file.href;
  return typeof file === 'string' ? resolve(file) : undefined;
}

/** In a worker: the settings its creator handed over (its environment has none: traceChildren false). */
export function handedSettings(): AgentSettings | undefined {
  return workerThreads.isMainThread ? undefined : readHandOver().settings;
}

function readHandOver(): ThreadHandOver {
  try {
    const data = workerThreads.getEnvironmentData(ENV_DATA_KEY) as ThreadHandOver | undefined;
    return typeof data === 'object' && data !== null ? data : {};
  } catch {
    return {};
  }
}
