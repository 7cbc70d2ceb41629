/**
 * The handshake between the agent (main thread) and its writer thread (watchdog.ts), through a small
 * SharedArrayBuffer: counters let the main thread see back-pressure without waiting, and the exit
 * handshake lets the synchronous 'exit' handler wait (bounded) until the last batch is on the socket.
 */
export const SLOT = {
  /** Messages posted by the main thread (main writes). */
  posted: 0,
  /** Messages fully written to the socket (writer writes). */
  written: 1,
  /** 0 = connecting, 1 = connected, 2 = failed/closed (writer writes). */
  link: 2,
  /** Set to 1 when the writer has flushed and closed the socket after the final message. */
  done: 3,
  /** Heartbeats of the main thread's event loop (main writes; the writer thread watches for stalls). */
  beat: 4,
} as const;
export const SLOTS = 5;

/** globalThis[Symbol.for(key)] samples the main thread's stack (evaluated there by the stall watcher). */
export const STALL_SAMPLE_KEY = 'asyncInspector.stallSample';

export interface WriterData {
  asyncInspectorWriter: true;
  channel: string;
  shared: SharedArrayBuffer;
  /** Ask the main thread for a stack sample once its heartbeat is this stale (ms); 0 = no stall watch. */
  stallSampleMs: number;
  /** A worker thread's writer: its parent's state; connect only once the parent's link is no longer 0. */
  parentLink?: SharedArrayBuffer;
}

/** main → writer */
export type WriterMessage = { kind: 'data'; text: string } | { kind: 'end'; text: string };

export function isWriterData(v: unknown): v is WriterData {
  return typeof v === 'object' && v !== null && (v as { asyncInspectorWriter?: unknown }).asyncInspectorWriter === true;
}
