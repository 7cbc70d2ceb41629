/**
 * The handshake between the agent (main thread) and its writer thread (writer-thread.ts), through a small
 * SharedArrayBuffer: counters let the main thread see back-pressure without waiting, and the exit
 * handshake lets the synchronous 'exit' handler wait (bounded) until the last batch is on the socket.
 */
import type { FaultSetting } from './faults';

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
  /** 1 once the writer listens to its worker threads' hub (writer writes; workers post only after). */
  hub: 5,
  /**
   * The connected socket's file descriptor + 1 (0: none, e.g. TCP on Windows), so a main thread stopped by a
   * debugger can write one message itself while the writer has nothing in flight (pause.ts; writer writes).
   */
  fd: 6,
  /**
   * How many posted messages have been claimed for writing: the writer claims each one it receives with a
   * compare-and-swap from n-1 to n, and a main thread stopped by a debugger may claim all posted ones at once
   * while the writer is idle (claimed == written) to write them itself (pause.ts); a message the writer
   * receives already claimed is dropped.
   */
  claimed: 7,
  /**
   * When the heartbeat last moved: `Date.now() & WALL_MASK` (main or worker writes), so the writer thread sleeps
   * until the beat could be stale instead of polling it (stall-watch.ts). 0 until the first beat.
   */
  beatAt: 8,
} as const;
export const SLOTS = 9;

/** Wall-clock ms kept in an Int32 slot (wraps every ~25 days; compared modulo this). */
export const WALL_MASK = 0x7fffffff;
/** A beat time read from SLOT.beatAt was written at or after the wall-clock time `since` (ms). */
export function beatSince(at: number, since: number): boolean {
  return at !== 0 && ((at - (since & WALL_MASK)) & WALL_MASK) < 0x40000000;
}

/** globalThis[Symbol.for(key)] samples the main thread's stack (evaluated there by the stall watcher). */
export const STALL_SAMPLE_KEY = 'asyncInspector.stallSample';

export interface WriterData {
  asyncInspectorWriter: true;
  channel: string;
  shared: SharedArrayBuffer;
  /** Ask the main thread for a stack sample once its heartbeat is this stale (ms); 0 = no stall watch. */
  stallSampleMs: number;
  /** The BroadcastChannel on which the program's traced worker threads send their connections' lines. */
  hub?: string;
  /** Only in the fault-injection test mode (faults.ts). */
  asyncInspectorFaults?: FaultSetting;
}

/** main → writer */
export type WriterMessage = { kind: 'data'; text: string } | { kind: 'end'; text: string };

/**
 * A traced worker thread → the main thread's writer, on the hub. Each worker is its own connection; its
 * first message carries its own counters (SLOT.posted/written/link; `done` when its socket is closed).
 * `gone`, from whoever created the worker: it exited (a terminated worker sends no `end` of its own).
 */
export type HubMessage =
  | { thread: number; kind: 'data' | 'end'; text: string; state?: SharedArrayBuffer }
  | { thread: number; kind: 'gone' };

export function isWriterData(v: unknown): v is WriterData {
  return typeof v === 'object' && v !== null && (v as { asyncInspectorWriter?: unknown }).asyncInspectorWriter === true;
}
