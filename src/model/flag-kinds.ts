/**
 * What each flag kind means, in words a developer understands: a title, one sentence on what happened and
 * one on how to fix it. Shared by the CLI summary, the extension's diagnostics and settings, and the view
 * (pure, no I/O). docs/flags.md explains each kind at length.
 */
import { FLAG_KINDS, type Runtime } from '../protocol/events';
import type { FlagView } from './types';

/** Kinds the Python agent adds for classic asyncio mistakes (src/agents/python/async_inspector/mistakes.py). */
export const PYTHON_MISTAKE_KINDS = ['asyncio-run-in-loop', 'no-event-loop-in-thread', 'result-before-done'] as const;

/** Every kind a front end knows by name (the settings' enum, --fail-on without a warning). */
export const KNOWN_FLAG_KINDS = [...FLAG_KINDS, ...PYTHON_MISTAKE_KINDS] as const;
export type KnownFlagKind = (typeof KNOWN_FLAG_KINDS)[number];

export interface FlagKindInfo {
  title: string;
  /** One sentence: what the flag means. */
  explanation: string;
  /** One sentence: what to change in the code. */
  fix: string;
  /** Errors: a failure was lost or the program is stuck; warnings: likely a mistake. */
  severity: 'error' | 'warning';
  runtimes: readonly Runtime[];
}

const BOTH: readonly Runtime[] = ['node', 'python'];

export const FLAG_KIND_INFO: Readonly<Record<KnownFlagKind, FlagKindInfo>> = {
  'never-awaited': {
    title: 'Never awaited',
    explanation: 'An async call started work that nothing awaited, so its result and any error it raises are lost.',
    fix: 'Await the call, or keep the task/promise and await it (or gather it) before you need its result.',
    severity: 'warning',
    runtimes: BOTH,
  },
  'blocking-call': {
    title: 'Blocking call',
    explanation: 'This line kept the event loop busy longer than the threshold, so every other task had to wait.',
    fix: 'Use the async version of the call, or move the work to a thread or process (run_in_executor, to_thread, worker_threads).',
    severity: 'warning',
    runtimes: BOTH,
  },
  'unhandled-rejection': {
    title: 'Unhandled rejection',
    explanation: 'A promise was rejected and no code handled the error.',
    fix: 'Await the promise inside try/catch, or attach a .catch() handler where it is created.',
    severity: 'error',
    runtimes: ['node'],
  },
  'exception-never-retrieved': {
    title: 'Exception never retrieved',
    explanation: 'A task failed and nobody looked at its exception, so the error went unnoticed.',
    fix: 'Await the task (or gather it), or add a done callback that calls task.exception().',
    severity: 'error',
    runtimes: ['python'],
  },
  'destroyed-pending': {
    title: 'Destroyed while pending',
    explanation: 'A task was thrown away before it finished, because its loop closed or nothing kept a reference to it.',
    fix: 'Keep a reference to the task and await it (or cancel it and await the cancellation) before the loop stops.',
    severity: 'warning',
    runtimes: ['python'],
  },
  'pending-at-exit': {
    title: 'Pending at exit',
    explanation: 'The program ended while code was still awaiting something that could never finish.',
    fix: 'Make sure whatever this line awaits gets resolved, set or cancelled, or stop awaiting it.',
    severity: 'warning',
    runtimes: BOTH,
  },
  deadlock: {
    title: 'Deadlock',
    explanation: 'These tasks wait for each other (or for nothing that can happen) and no timer, I/O or thread can wake them.',
    fix: 'Break the cycle: set the awaited future or event from code that actually runs, or add a timeout.',
    severity: 'error',
    runtimes: ['python'],
  },
  'asyncio-run-in-loop': {
    title: 'asyncio.run() inside a running loop',
    explanation: 'asyncio.run() was called while an event loop was already running in this thread (as in a notebook), which is not allowed.',
    fix: 'Await the coroutine directly, or schedule it with asyncio.create_task().',
    severity: 'error',
    runtimes: ['python'],
  },
  'no-event-loop-in-thread': {
    title: 'No event loop in this thread',
    explanation: 'A helper thread asked for the current event loop, but only the thread that runs a loop has one.',
    fix: 'Call asyncio.run() in that thread, or hand the work to the main loop with asyncio.run_coroutine_threadsafe().',
    severity: 'error',
    runtimes: ['python'],
  },
  'result-before-done': {
    title: 'result() before done',
    explanation: 'task.result() was called before the task had finished, which raises InvalidStateError.',
    fix: 'Await the task instead, or check task.done() before calling result().',
    severity: 'error',
    runtimes: ['python'],
  },
};

export function isKnownFlagKind(kind: string): kind is KnownFlagKind {
  return Object.prototype.hasOwnProperty.call(FLAG_KIND_INFO, kind);
}

export function flagKindInfo(kind: string): FlagKindInfo | undefined {
  return isKnownFlagKind(kind) ? FLAG_KIND_INFO[kind] : undefined;
}

/** Kinds that mean a failure was lost or the program is stuck (errors); the others are warnings. */
export const ERROR_KINDS: ReadonlySet<string> = new Set(KNOWN_FLAG_KINDS.filter((k) => FLAG_KIND_INFO[k].severity === 'error'));

export function flagTitle(kind: string): string {
  return flagKindInfo(kind)?.title ?? kind.replace(/-/g, ' ');
}

/** "Blocking call (240 ms): …" — the kind first, so a list of flags reads at a glance. */
export function flagMessage(flag: Pick<FlagView, 'kind' | 'message' | 'durationMs'>): string {
  const title = flagTitle(flag.kind);
  // The duration once: agents' messages often state it already ("… for 250 ms").
  const saysDuration = /\d\s*ms\b/.test(flag.message);
  const duration = flag.durationMs !== undefined && !saysDuration ? ` (${Math.round(flag.durationMs)} ms)` : '';
  return flag.message.toLowerCase().startsWith(title.toLowerCase()) ? flag.message : `${title}${duration}: ${flag.message}`;
}
