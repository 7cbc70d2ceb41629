/**
 * Not following child processes (AgentConfig.traceChildren false: the CLI's --no-children, the setting
 * asyncInspector.traceChildProcesses). Child processes inherit the agent through the environment (its
 * variables, and `--require <agent>` in NODE_OPTIONS): the agent takes both out of process.env as it starts,
 * so every child the program starts afterwards — fork, cluster workers, spawn/exec of node, with the default
 * environment or a copy of process.env — runs untraced. Worker threads are part of the process and still
 * traced: they get the settings from their creator (thread.ts) instead of from the environment.
 */
import { ENV } from '../../protocol/events';
import { nodeOptionsWithout } from '../../protocol/node-options';

/** Set in the environment by the agent, so child processes (which inherit it) know they are children. */
export const CHILD_MARK = 'ASYNC_INSPECTOR_CHILD';
const AGENT_VARIABLES = [...Object.values(ENV), 'ASYNC_INSPECTOR_ATTACH', CHILD_MARK];

/** Removes the agent's variables and its `--require` from `env` (NODE_OPTIONS removed when nothing else is left). */
export function keepOutOfChildren(env: NodeJS.ProcessEnv, agentFile: string): void {
  for (const name of AGENT_VARIABLES) delete env[name];
  const options = env.NODE_OPTIONS;
  if (options === undefined) return;
  const rest = nodeOptionsWithout(options, agentFile);
  if (rest === options) return;
  if (rest.trim() === '') delete env.NODE_OPTIONS;
  else env.NODE_OPTIONS = rest;
}
