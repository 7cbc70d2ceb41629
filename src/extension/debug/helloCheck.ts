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
import type { Followed } from './followed';
import { evaluate } from './pauseWatch';

/**
 * How long a followed Node program must have run (not held by the debugger) without a hello before the Debug
 * Console says so: js-debug's bootloader may come before the agent in NODE_OPTIONS and hold the program until
 * js-debug has attached, and it holds the agent's writer thread (which sends the hello) while the program is stopped.
 */
const NODE_RUNNING_WITHOUT_HELLO_MS = 10_000;
const POLL_MS = 250;

/** A HelloWatch for `f`'s program; `current` is the one `f` holds now (a restart replaces it). */
export function watchHello(f: Followed, current: () => HelloWatch): HelloWatch {
  const watch: HelloWatch = new HelloWatch(() => {
    if (f.runtime === 'python') vscode.debug.activeDebugConsole.appendLine(agentAbsentMessage());
    else void noNodeAgent(f, () => current() === watch);
  });
  return watch;
}

/**
 * A followed Node program's agent did not say hello in time: once the program has run NODE_RUNNING_WITHOUT_HELLO_MS
 * (stops not counted) still without one, ask it (its first js-debug target) whether the agent is in it, and say
 * why there are no tasks: not there (the --require was lost), there but silent (its socket unreachable), or unknown.
 */
async function noNodeAgent(f: Followed, stillCurrent: () => boolean): Promise<void> {
  const gone = (): boolean => Boolean(f.inspection.info || f.end || !stillCurrent()); // a hello came, it ended, or restarted
  for (let ran = 0; ran < NODE_RUNNING_WITHOUT_HELLO_MS; ran += f.stop ? 0 : POLL_MS) {
    await new Promise((ok) => setTimeout(ok, POLL_MS));
    if (gone()) return;
  }
  let loaded: boolean | undefined;
  try {
    const type = f.target ? await evaluate(f.target, NODE_AGENT_LOADED_EXPRESSION) : undefined;
    loaded = type === 'function' ? true : type === 'undefined' ? false : undefined;
  } catch {
    loaded = undefined; // the target is gone, or does not evaluate
  }
  if (gone()) return;
  vscode.debug.activeDebugConsole.appendLine(nodeAgentAbsentMessage(loaded));
}
