/**
 * "The agent did not load" for a followed session, said once in the Debug Console: a HelloWatch
 * (src/inspection/hello-watch.ts) fed with the session's DAP events notices that the program produced events
 * but its agent never said hello. Python: the interpreter ignored PYTHONPATH or sitecustomize (-I, -E, -S).
 * Node: the program is asked, through its js-debug target, whether the agent is in it (a launcher that sets
 * NODE_OPTIONS itself drops the agent's --require, and js-debug's bootloader may survive it: the program is
 * debugged without the agent). Debugging itself is never touched.
 */
import * as vscode from 'vscode';
import { HelloWatch } from '../../inspection/hello-watch';
import { agentAbsentMessage } from '../../inspection/inject-python';
import { NODE_AGENT_LOADED_EXPRESSION } from '../../protocol/debugger';
import { nodeAgentAbsentMessage } from './followDecision';
import type { Followed } from './followedSessions';
import { evaluate } from './pauseWatch';

/** A Node program whose agent is loaded but silent gets this much longer before the Debug Console says so. */
const NODE_HELLO_LATE_MS = 10_000;

/** A HelloWatch for `f`'s program; `current` is the one `f` holds now (a restart replaces it). */
export function watchHello(f: Followed, current: () => HelloWatch): HelloWatch {
  const watch: HelloWatch = new HelloWatch(() => {
    if (f.runtime === 'python') vscode.debug.activeDebugConsole.appendLine(agentAbsentMessage());
    else void noNodeAgent(f, () => current() === watch);
  });
  return watch;
}

/**
 * A followed Node program's agent did not say hello in time: ask the program (its first js-debug target)
 * whether the agent is in it. Not there: said at once. There (its hello may only be slow: js-debug holds new
 * threads until it has attached to them), or no answer: said only if no hello came NODE_HELLO_LATE_MS later.
 */
async function noNodeAgent(f: Followed, stillCurrent: () => boolean): Promise<void> {
  let loaded: boolean | undefined;
  try {
    const type = f.target ? await evaluate(f.target, NODE_AGENT_LOADED_EXPRESSION) : undefined;
    loaded = type === 'function' ? true : type === 'undefined' ? false : undefined;
  } catch {
    loaded = undefined; // the target is gone, or does not evaluate
  }
  if (loaded !== false) await new Promise((ok) => setTimeout(ok, NODE_HELLO_LATE_MS));
  if (f.inspection.info || f.end || !stillCurrent()) return; // a hello came, the program ended, or it restarted
  vscode.debug.activeDebugConsole.appendLine(nodeAgentAbsentMessage(loaded));
}
