/**
 * Which debug configurations of the runtimes' own debuggers (js-debug, debugpy) the inspector follows, and
 * the Node configuration with the agent injected. vscode-free and pure, so it is unit-tested directly
 * (test/debug/follow-config.test.ts); followProvider.ts applies it in the configuration resolvers.
 */
import { nodeOptionsWithRequire, type AgentEnvironment } from '../../inspection/agent-env';
import { ENV, type Runtime } from '../../protocol/events';

/** Debug types whose configurations may carry `"asyncInspector": true`, with the runtime they debug. */
export const FOLLOWED_TYPES: Readonly<Record<string, Runtime>> = {
  node: 'node', 'pwa-node': 'node', 'node-terminal': 'node', debugpy: 'python', python: 'python',
};

/** `asyncInspector.followDebugSessions`: never, configurations marked `"asyncInspector": true`, or every one. */
export type FollowSetting = 'off' | 'marked' | 'all';

/** Set on a configuration the inspector injected (its inspection's id): injecting again changes nothing. */
export const INSPECTION_KEY = '__asyncInspectorId';
/** js-debug's configurations for the targets it attaches to itself (the program's process, its workers). */
const CHILD_TARGET_KEYS = ['__pendingTargetId', '__parentId'];

/** The configuration attributes this file reads (any other is kept as it is). */
export interface DebugConfig {
  type: string;
  request: string;
  name: string;
  [key: string]: unknown;
}

export type FollowDecision =
  | { kind: 'follow'; runtime: Runtime }
  /** Not ours to touch (not asked for, already injected, a js-debug child target). */
  | { kind: 'skip' }
  /** Asked for, but cannot be done: say why (once), and leave the configuration as it is. */
  | { kind: 'explain'; message: string };

export const ATTACH_MESSAGE =
  'Async Inspector: "asyncInspector": true works on launch configurations (the agent must be loaded when the ' +
  'program starts); this attach configuration is debugged as usual, without the Async Inspector view.';

export function decideFollow(config: DebugConfig, setting: FollowSetting): FollowDecision {
  const runtime = FOLLOWED_TYPES[config.type];
  if (runtime === undefined || setting === 'off') return { kind: 'skip' };
  if (config[INSPECTION_KEY] !== undefined || CHILD_TARGET_KEYS.some((k) => config[k] !== undefined)) return { kind: 'skip' };
  const marked = config.asyncInspector === true;
  if (!marked && (setting !== 'all' || config.asyncInspector === false)) return { kind: 'skip' };
  if (config.request !== 'launch') return marked ? { kind: 'explain', message: ATTACH_MESSAGE } : { kind: 'skip' };
  return { kind: 'follow', runtime };
}

/**
 * A js-debug launch configuration with the agent: its `--require` appended to `env.NODE_OPTIONS` (built on
 * the configuration's own NODE_OPTIONS, else the inherited one, so the user's entries keep working; js-debug
 * puts its bootloader before them all), the channel variables, and the inspection's id (in the configuration
 * for the extension, in the environment for the agent's hello).
 */
export function injectNodeAgent(
  config: DebugConfig, agent: AgentEnvironment, inspectionId: string, inherited: Record<string, string | undefined>,
): { config: DebugConfig; warning?: string } {
  const env: Record<string, unknown> = isObject(config.env) ? { ...config.env } : {};
  const own = env.NODE_OPTIONS;
  const base = typeof own === 'string' ? own : own === null ? undefined : inherited.NODE_OPTIONS;
  env.NODE_OPTIONS = nodeOptionsWithRequire(base, agent.nodeAgent);
  Object.assign(env, agent.variables, { [SESSION_ENV]: inspectionId });
  const out: DebugConfig = { ...config, env, [INSPECTION_KEY]: inspectionId };
  // V8 stops calling v8.promiseHooks while a debugger records async stack traces (Debugger.setAsyncCallStackDepth,
  // checked on Node 20: test/debug/node-pause-flush.test.ts), and js-debug records them by default (its own
  // resolver may already have filled in its default): they are turned off, the Async Tasks view shows the await chains.
  out.showAsyncStacks = false;
  return { config: out, ...(config.showAsyncStacks === false ? {} : { warning: ASYNC_STACKS_NOTE }) };
}

export const ASYNC_STACKS_NOTE =
  'Async Inspector: async stack traces are off in CALL STACK for this session (while a debugger records them, V8 ' +
  'does not tell the agent about promises); the Async Tasks view shows each task\'s await chain instead.';

/** The inspection id in the program's environment (the agents echo it in their hello). */
export const SESSION_ENV = ENV.session;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The Debug Console line when a followed Node program's agent never said hello (said once per session).
 * `loaded`: whether the program has the agent (asked through the debugger), undefined when it could not tell.
 */
export function nodeAgentAbsentMessage(loaded: boolean | undefined): string {
  const why = loaded === false
    ? 'the program runs without the agent: its NODE_OPTIONS lost the agent\'s --require (a runtimeExecutable or ' +
      'script that sets NODE_OPTIONS itself, or a runtime that ignores NODE_OPTIONS)'
    : loaded === true
      ? 'the agent loaded but never reached VS Code (the program runs where the extension\'s socket is not reachable, ' +
        'or something closed the agent\'s connection)'
      : 'no agent said hello: a runtimeExecutable or script that sets NODE_OPTIONS itself, or a runtime that ignores it, drops the agent\'s --require';
  const fix = loaded === true
    ? 'Run the program on this machine'
    : 'Run it with node itself ("program", no wrapper), or keep the NODE_OPTIONS VS Code passes when your script sets its own';
  return `Async Inspector: the agent did not load in this Node program (${why}), so the Async Inspector view stays ` +
    `empty; debugging is not affected. ${fix} to see the tasks.`;
}
