/**
 * What a debugger (not the inspector's channel) uses to reach an agent inside a stopped program: when the
 * debug session stops, the extension evaluates this in the paused program (global context, no frame), and
 * the agent delivers everything it holds at once, ending with a `paused` event (events.ts) that names the
 * task whose code is paused. See src/extension/debug/ and the agents' READMEs.
 */

/** Node: `globalThis[Symbol.for(key)]` is the agent's flush-at-stop function (absent without the agent). */
export const NODE_PAUSE_FLUSH_KEY = 'asyncInspector.pauseFlush';

/**
 * What the flush-at-stop function answers: `flushed` = the batch is on the channel's socket; `timeout` = it
 * was handed to the writer, which did not confirm in time; `unusable` = the agent's channel is closed.
 */
export type PauseFlushResult = 'flushed' | 'timeout' | 'unusable';

/** The expression evaluated in a stopped Node program: a string result, or undefined without the agent. */
export const NODE_PAUSE_FLUSH_EXPRESSION = `globalThis[Symbol.for(${JSON.stringify(NODE_PAUSE_FLUSH_KEY)})]?.()`;
