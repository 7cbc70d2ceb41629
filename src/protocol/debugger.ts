/**
 * What a debugger (not the inspector's channel) uses to reach an agent inside a stopped program: when the
 * debug session stops, the extension evaluates this in the paused program (global context, no frame), and
 * the agent delivers everything it holds at once, ending with a `paused` event (events.ts) that names the
 * task whose code is paused. See src/extension/debug/ and the agents' READMEs.
 */

/** Node: `globalThis[Symbol.for(key)]` is the agent's flush-at-stop function (absent without the agent). */
export const NODE_PAUSE_FLUSH_KEY = 'asyncInspector.pauseFlush';

/**
 * What the flush-at-stop function answers: `written` = the batch (ending with `paused`) is on the channel's
 * socket, written by the stopped thread itself; `sent` = handed to the agent's writer thread (it had messages
 * in flight), which may only get it out once the program continues; `unusable` = the channel is closed. The
 * caller waits for the `paused` event on the channel, not for this answer.
 */
export type PauseFlushResult = 'written' | 'sent' | 'unusable';

/** The expression evaluated in a stopped Node program: a string result, or undefined without the agent. */
export const NODE_PAUSE_FLUSH_EXPRESSION = `globalThis[Symbol.for(${JSON.stringify(NODE_PAUSE_FLUSH_KEY)})]?.()`;

/** Evaluated in a running Node program whose agent never said hello: `'function'` when the agent loaded, `'undefined'` when not. */
export const NODE_AGENT_LOADED_EXPRESSION = `typeof globalThis[Symbol.for(${JSON.stringify(NODE_PAUSE_FLUSH_KEY)})]`;

/** The Node agent's writer thread's name (worker_threads `name`): debuggers list it among the program's threads. */
export const WRITER_THREAD_NAME = 'Async Inspector agent';
