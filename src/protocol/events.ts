/**
 * The agent → inspector wire contract, shared by the Node agent, the Python agent
 * (src/agents/python/async_inspector/protocol.py mirrors it; test/unit/protocol-drift.test.ts checks for drift),
 * the launcher, the model and the CLI.
 *
 * Framing: newline-delimited JSON, one `AgentMessage` per line, over a private channel
 * (Unix socket, or TCP loopback on Windows) named by the ASYNC_INSPECTOR_CHANNEL env var.
 * The first line must be a `hello` carrying ASYNC_INSPECTOR_TOKEN; anything else closes the connection.
 * Messages are JSON objects; the events inside a batch go as positional arrays (wire-events.ts), because
 * they are nearly all of the traffic and arrays decode twice as fast.
 *
 * Ids (tasks, sites, loops) are small integers unique within one connection (one process).
 * Times `t` are milliseconds since the agent started (monotonic); hello.startEpochMs anchors them.
 * Metadata is sent once and referred to by id: a `site` before any event that names it.
 */

export const PROTOCOL_VERSION = 2;

export type Runtime = 'node' | 'python';

/** Live states; `queued` is executor work not yet picked up by a worker. */
export const LIVE_STATES = ['queued', 'pending', 'running'] as const;
/** Final states. */
export const END_STATES = ['done', 'failed', 'cancelled'] as const;
/** The one list of task states, in lifecycle order (the CLI summary's order, the counts' keys). */
export const TASK_STATES = [...LIVE_STATES, ...END_STATES] as const;
export type LiveState = (typeof LIVE_STATES)[number];
export type EndState = (typeof END_STATES)[number];
export type TaskState = LiveState | EndState;

/**
 * What a tracked thing is. Names are free-form (async function name, coroutine name, or a resource
 * type such as Timeout, TCPWRAP, FSREQCALLBACK, HTTPINCOMINGMESSAGE).
 */
export type TaskKind =
  | 'task'      // asyncio.Task
  | 'promise'   // a JS promise (async function call, new Promise, ...)
  | 'future'    // asyncio.Future that is not a Task
  | 'executor'  // run_in_executor / to_thread work item, worker_threads job
  | 'timer'     // setTimeout/setInterval/setImmediate, loop.call_later
  | 'io'        // sockets, fs requests, pipes, DNS, child processes, HTTP
  | 'other';

export const FLAG_KINDS = [
  'never-awaited',
  'blocking-call',
  'unhandled-rejection',
  'exception-never-retrieved',
  'destroyed-pending',
  'pending-at-exit',
  'deadlock',
] as const;
/** Flag kinds fixed by docs/architecture.md; agents or lints may add others (e.g. 'asyncio-run-in-loop'). */
export type FlagKind = (typeof FLAG_KINDS)[number] | (string & {});

export interface ErrorInfo {
  type: string;
  message: string;
  /** Site ids, innermost first. */
  stack?: number[];
}

/** One event inside a batch. Discriminated on `e`. */
export type AgentEvent =
  /** An interned source location (a stack frame). `file` is an absolute path or URL. */
  | { e: 'site'; id: number; file: string; line: number; col?: number; fn: string }
  /** An event loop (Python) or JS thread (Node main thread / worker); tasks refer to it. */
  | { e: 'loop'; id: number; name: string; thread: string; t: number }
  /**
   * Something started to exist. `site` is the first user frame of its creation; `stack` innermost first.
   * `attach`: it existed before the inspector attached (its `t` is the attach time), and `site` is its
   * creation site, its async function's definition, or unknown.
   */
  | {
      e: 'create'; id: number; kind: TaskKind; name: string; parent: number | null;
      site: number | null; stack?: number[]; loop?: number; t: number; attach?: AttachOrigin;
    }
  /** A name that became known after creation (asyncio create_task(name=) on 3.12, set_name). */
  | { e: 'name'; id: number; name: string }
  /** A live state change (queued → running → pending ...). `thread` names the worker thread/process for executor work. */
  | { e: 'state'; id: number; state: LiveState; t: number; thread?: string }
  /**
   * `id` now waits on `on` (task/promise/future ids; empty = waits on nothing tracked),
   * parked at `site` (its current await line), or null when not known.
   */
  | { e: 'await'; id: number; on: number[]; site: number | null; t: number }
  /** A slice of time `id` spent running on its loop (agents may send only slices above a threshold). */
  | { e: 'step'; id: number; t: number; dur: number }
  /** Reached a final state. `runMs` = total time spent running on the loop, when measured. */
  | {
      e: 'end'; id: number; state: EndState; t: number; runMs?: number;
      error?: ErrorInfo; result?: string;
    }
  /**
   * Short-lived items that were created and finished between two flushes and were not sent one by one
   * (bounded overhead under task storms). The model counts them as finished.
   */
  | {
      e: 'rollup'; kind: TaskKind; name: string; site: number | null; parent: number | null;
      count: number; failed: number; cancelled: number; totalMs: number; t: number;
    }
  /**
   * Something an agent itself detected (a stall, a coroutine never awaited, a lost exception ...). `t` is
   * when it was detected. For a `blocking-call` that is when the stall ended (the loop moved on) and `dur`
   * is how long the loop was held: the stall is [t - dur, t], in both agents; `task` is the task whose
   * code held the loop (its running slice over that span is a `step`), `loop` the loop / thread it held.
   */
  | {
      e: 'finding'; kind: FlagKind; message: string; t: number; site: number | null;
      stack?: number[]; task?: number | null; dur?: number; loop?: number; error?: ErrorInfo;
      /** A finding may be withdrawn later (e.g. a suspected floating promise that got awaited). */
      key?: string;
    }
  | { e: 'retract'; key: string }
  /**
   * A child process of this one ended, as the parent's wait saw it: its exit status (128 + the signal's number
   * when a signal killed it). What the child's own bye cannot say (killed from outside, a status it did not see).
   */
  | { e: 'exited'; pid: number; code: number; t: number }
  /**
   * The program is stopped by a debugger (sent by the agent when the inspector asks it to deliver what it
   * holds at a stop, src/extension/debug/): every event before it was produced before the stop. `task` is
   * the task whose code is paused (the one running when the debugger stopped it), null when no tracked
   * task was running (module top level, a callback the agent does not trace).
   */
  | { e: 'paused'; task: number | null; t: number };

export type AgentEventKind = AgentEvent['e'];

/** What is known of a task found at attach: where it was created, or only its async function's definition. */
export type AttachOrigin = 'creation' | 'definition' | 'unknown';
export const ATTACH_ORIGINS: readonly AttachOrigin[] = ['creation', 'definition', 'unknown'];

/** One line on the channel. Discriminated on `type`. */
export type AgentMessage =
  | {
      type: 'hello'; protocol: number; token: string; runtime: Runtime; pid: number; ppid: number;
      argv: string[]; cwd: string; agentVersion: string; runtimeVersion: string; startEpochMs: number;
      /**
       * Node: the worker_threads threadId when this connection traces one of the program's worker threads
       * (each traced worker is its own connection, same pid); absent for a process's main thread.
       */
      threadId?: number;
      /** The agent was injected into a running process (`async-inspector attach`), not launched with it. */
      attached?: boolean;
      /**
       * The debug session that asked for this agent (ASYNC_INSPECTOR_SESSION), when it was injected into a
       * runtime debugger's launch (`"asyncInspector": true` on a debugpy / node configuration).
       */
      session?: string;
    }
  /** `dropped` = events the agent had to discard since the previous batch (buffer full). */
  | { type: 'batch'; seq: number; dropped: number; events: AgentEvent[] }
  /** An agent-internal failure, reported once per distinct message; the program goes on. */
  | { type: 'agent-error'; message: string; detail?: string }
  /**
   * Sent at orderly exit, after the last batch. `drained`: true when the program ended because its event
   * loop ran out of work (Node: 'beforeExit' fired), false when it was ended early (process.exit(), a
   * crash, sys.exit from a callback); omitted when unknown. Lints about work left pending trust only a drain.
   * A connection that closes without one (a killed process, a terminated worker thread) gets a bare
   * `{ type: 'bye', t }` from the launcher: the model alone decides what such an end means.
   */
  | { type: 'bye'; t: number; exitCode?: number; drained?: boolean };

/** Environment variables the launcher sets for the agent. */
export const ENV = {
  channel: 'ASYNC_INSPECTOR_CHANNEL', // "unix:/path/to.sock" or "tcp:127.0.0.1:PORT"
  token: 'ASYNC_INSPECTOR_TOKEN',
  config: 'ASYNC_INSPECTOR_CONFIG',   // JSON AgentConfig
  /**
   * The debug session id, set only when the agent is injected into a runtime debugger's launch (debugpy,
   * js-debug); the agent echoes it in hello.session. Python: the agent starts from sitecustomize only when it
   * is set (and removes it, so the program's child processes do not start one too).
   */
  session: 'ASYNC_INSPECTOR_SESSION',
} as const;

/** Settings handed to agents (JSON in ASYNC_INSPECTOR_CONFIG). All optional; agents apply defaults. */
export interface AgentConfig {
  /** A loop step/callback longer than this is a blocking call. Default 100. */
  blockThresholdMs?: number;
  /** Flush interval of batched events. Default 50. */
  flushMs?: number;
  /** Upper bound of creation-stack captures per second (Node). Default 2000. */
  stackCapturesPerSec?: number;
  /**
   * Trace child processes (Node fork/cluster/spawn of node; Python fork, multiprocessing, subprocess of python).
   * Default true; false is the CLI's --no-children and the setting asyncInspector.traceChildProcesses: false.
   * A child that inherits the environment then runs untraced and the agent strips its variables from the child.
   */
  traceChildren?: boolean;
}

/**
 * Every event kind with its fields (required first, then optional, after '?'), at runtime. The Python agent's
 * protocol.py carries the same table; test/unit/protocol-drift.test.ts fails when they differ.
 */
export const EVENT_FIELDS = {
  site: ['id', 'file', 'line', 'fn', '?', 'col'],
  loop: ['id', 'name', 'thread', 't'],
  create: ['id', 'kind', 'name', 'parent', 'site', 't', '?', 'stack', 'loop', 'attach'],
  name: ['id', 'name'],
  state: ['id', 'state', 't', '?', 'thread'],
  await: ['id', 'on', 'site', 't'],
  step: ['id', 't', 'dur'],
  end: ['id', 'state', 't', '?', 'runMs', 'error', 'result'],
  rollup: ['kind', 'name', 'site', 'parent', 'count', 'failed', 'cancelled', 'totalMs', 't'],
  finding: ['kind', 'message', 't', 'site', '?', 'stack', 'task', 'dur', 'loop', 'error', 'key'],
  retract: ['key'],
  paused: ['task', 't'],
  exited: ['pid', 'code', 't'],
} as const satisfies { [K in AgentEventKind]: readonly (keyof Extract<AgentEvent, { e: K }> | '?')[] };
