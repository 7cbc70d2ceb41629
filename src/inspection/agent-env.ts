/**
 * What a program's environment needs so its agent loads and connects to an inspection: the channel
 * variables (address, token, agent config) and the injection itself — `--require <agent>` in
 * NODE_OPTIONS for Node, the agent's folder first on PYTHONPATH for Python. Pure string work, so a
 * launch, a debug configuration resolver and an attach all build the same environment.
 */
import { existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { ENV, type AgentConfig, type Runtime } from '../protocol/events';
import { nodeOptionsWithRequire } from '../protocol/node-options';

export { nodeOptionsWithRequire, nodeOptionTokens, quoteNodeOption } from '../protocol/node-options';

/** What an inspection hands out for a program someone else starts. */
export interface AgentEnvironment {
  /** ASYNC_INSPECTOR_CHANNEL, ASYNC_INSPECTOR_TOKEN and ASYNC_INSPECTOR_CONFIG, to add to the program's environment. */
  variables: Record<string, string>;
  /** Absolute path of the Node agent (what `--require` loads). */
  nodeAgent: string;
  /** Absolute path of the folder holding the Python agent's package (`async_inspector`), for PYTHONPATH. */
  pythonDir: string;
}

/** An environment variable change: a string sets it, null (or undefined) removes it. */
export type EnvOverrides = Record<string, string | null | undefined>;

/** The dist/ folder holding agent-node.js and python/: next to this bundle (dist/*.js), or ../../dist from src/inspection. */
export function defaultDistDir(): string {
  const candidates = [__dirname, resolve(__dirname, '../../dist')];
  return candidates.find((dir) => existsSync(join(dir, 'agent-node.js'))) ?? candidates[0];
}

export function agentEnvironment(address: string, token: string, config: AgentConfig, distDir: string): AgentEnvironment {
  return {
    variables: { [ENV.channel]: address, [ENV.token]: token, [ENV.config]: JSON.stringify(config) },
    nodeAgent: join(distDir, 'agent-node.js'),
    pythonDir: join(distDir, 'python'),
  };
}

/**
 * `base` with the agent's variables and injection for `runtime` (NODE_OPTIONS or PYTHONPATH), keeping
 * every entry the user (or another debugger) put there. Applying it twice changes nothing more.
 */
export function withAgent(base: Record<string, string | undefined>, runtime: Runtime, agent: AgentEnvironment): Record<string, string | undefined> {
  const env = { ...base, ...agent.variables };
  switch (runtime) {
    case 'node':
      env.NODE_OPTIONS = nodeOptionsWithRequire(base.NODE_OPTIONS, agent.nodeAgent);
      return env;
    case 'python':
      env.PYTHONPATH = pathListWithFirst(base.PYTHONPATH, agent.pythonDir);
      return env;
  }
}

/** The one environment merge: `overrides` applied to `base` (null / undefined removes a variable). */
export function mergeEnv(base: Record<string, string | undefined>, overrides: EnvOverrides | undefined): Record<string, string | undefined> {
  const env = { ...base };
  for (const [k, v] of Object.entries(overrides ?? {})) {
    if (v === undefined || v === null) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** A PATH-like list with `first` at its head, once (the other entries kept, in order). */
export function pathListWithFirst(list: string | undefined, first: string): string {
  if (!list) return first;
  return [first, ...list.split(delimiter).filter((entry) => entry !== first)].join(delimiter);
}
