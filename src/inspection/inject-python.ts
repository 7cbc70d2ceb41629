/**
 * `"asyncInspector": true` on a `debugpy` (or legacy `python`) launch configuration: the configuration with the
 * agent injected, for the extension's resolveDebugConfigurationWithSubstitutedVariables. Pure (no vscode).
 *
 * debugpy passes no interpreter flag through, so the agent comes in through the environment: dist/python-site
 * (a sitecustomize.py that starts the agent, then chains to the next sitecustomize on sys.path) first on
 * PYTHONPATH, with the channel address, token, session id and agent config. The program must see the same
 * environment as without us: when the Python Debugger extension's resolver has not run yet (VS Code calls
 * resolvers of one type in registration order), its env / envFile / PYTHONPATH merge is done here exactly as
 * it does it (python-env.ts) and `envFile` is emptied, so that when it runs next it does not put the env file's
 * PYTHONPATH (and a sitecustomize there) before ours. When it already ran (its defaults are in the
 * configuration), only our entries are added. Injecting twice replaces the first injection (idempotent).
 */
import { dirname, join } from 'node:path';
import { ENV } from '../protocol/events';
import { isEnv, pathDelimiter, pythonDebugEnvironment, type EnvVars, type PythonHost } from './python-env';

export type { PythonHost } from './python-env';

/** What a listening inspection hands out (its AgentEnvironment), plus the debug session's id. */
export interface PythonInjection {
  /** ASYNC_INSPECTOR_CHANNEL, _TOKEN and _CONFIG. */
  variables: Record<string, string>;
  /** dist/python (the `async_inspector` package's folder); dist/python-site is its sibling. */
  pythonDir: string;
  /** The debug session the agent's hello names (ASYNC_INSPECTOR_SESSION). */
  session: string;
}

/** A debug configuration as the resolver receives it (any other attribute is kept as is). */
export type LaunchConfig = { type: string; request: string; name: string; [key: string]: unknown };

export type PythonInjectResult =
  | { kind: 'injected'; config: LaunchConfig; warning?: string }
  | { kind: 'skipped'; reason: string };

/** pydevd's exclude rule: the debugger neither steps into nor stops in the agent's hooks. */
export const AGENT_RULE = { module: 'async_inspector', include: false } as const;

/** dist/python-site: the folder with the sitecustomize.py that starts the agent. */
export function agentSiteDir(pythonDir: string): string {
  return join(dirname(pythonDir), 'python-site');
}

export function injectPythonAgent(config: LaunchConfig, inj: PythonInjection, host: PythonHost): PythonInjectResult {
  if (config.type !== 'debugpy' && config.type !== 'python') {
    return { kind: 'skipped', reason: `not a Python debug configuration (type ${config.type})` };
  }
  if (config.request !== 'launch') {
    return {
      kind: 'skipped',
      reason: 'Async Inspector follows programs it starts: on an attach configuration the agent cannot be injected ' +
        '(the program is already running). Use a launch configuration, or `async-inspector attach PID`.',
    };
  }
  const site = agentSiteDir(inj.pythonDir);
  const delimiter = pathDelimiter(host.platform);
  const env: EnvVars = resolvedByPythonDebugger(config)
    ? { ...(config.env as EnvVars) }
    : pythonDebugEnvironment(config, host);
  const rest = (env.PYTHONPATH ?? '').split(delimiter).filter((p) => p !== '' && p !== site);
  env.PYTHONPATH = [site, ...rest].join(delimiter);
  Object.assign(env, inj.variables);
  env[ENV.session] = inj.session;
  const out: LaunchConfig = { ...config, env };
  if (!resolvedByPythonDebugger(config)) out.envFile = '';
  const rules = Array.isArray(config.rules) ? config.rules.filter((r) => !isAgentRule(r)) : [];
  out.rules = [...rules, { ...AGENT_RULE }];
  const flags = agentBlockingFlags(interpreterArgs(config));
  const result: PythonInjectResult = { kind: 'injected', config: out };
  if (flags.length > 0) result.warning = agentAbsentMessage(flags.join(' '));
  return result;
}

/**
 * The Debug Console line when the agent cannot load in the program (said once per session). `flags`: the
 * interpreter flags the configuration shows; without them, the session noticed it (agentAbsent below).
 */
export function agentAbsentMessage(flags?: string): string {
  const why = flags
    ? `${flags}: Python then ignores PYTHONPATH or sitecustomize`
    : 'no agent said hello: the interpreter ran with -I, -E or -S, or something dropped PYTHONPATH';
  const fix = flags ? 'Remove the flag from "python" / "pythonArgs"' : 'Run the program without those flags';
  return `Async Inspector: the agent cannot load in this program (${why}), so the Async Inspector view stays ` +
    `empty; debugging is not affected. ${fix} to see the tasks.`;
}

/** How long after the debuggee's first DAP event (`initialized`, `stopped`, `process`) its hello may still come. */
export const HELLO_GRACE_MS = 1000;

/**
 * True when the session's program has no agent: the sitecustomize sends hello at interpreter start-up, before
 * debugpy's own code even runs, so a debuggee that produced a DAP event (pydevd's `initialized`, a `stopped`)
 * HELLO_GRACE_MS ago without a hello never got one. `helloPids`: the pids that said hello; `debuggeePid`: from
 * the `process` event when known (a child of a `-I` program may say hello: it is not the debuggee).
 */
export function agentAbsent(helloPids: readonly number[], msSinceFirstDebuggeeEvent: number, debuggeePid?: number): boolean {
  if (msSinceFirstDebuggeeEvent < HELLO_GRACE_MS) return false;
  return debuggeePid === undefined ? helloPids.length === 0 : !helloPids.includes(debuggeePid);
}

/**
 * True when the Python Debugger extension's resolveDebugConfigurationWithSubstitutedVariables already ran on
 * this configuration: it always leaves these defaults (provideLaunchDefaults), which launch.json rarely spells.
 */
export function resolvedByPythonDebugger(config: LaunchConfig): boolean {
  return Array.isArray(config.debugOptions) && typeof config.showReturnValue === 'boolean' &&
    typeof config.stopOnEntry === 'boolean' && isEnv(config.env) &&
    config.env.PYTHONIOENCODING !== undefined && config.env.PYTHONUNBUFFERED !== undefined;
}

function isAgentRule(rule: unknown): boolean {
  return isEnv(rule) && (rule as { module?: unknown }).module === AGENT_RULE.module;
}

/** The interpreter's own arguments: `python` as an array (its tail), then `pythonArgs`. */
function interpreterArgs(config: LaunchConfig): string[] {
  const python = config.python ?? config.pythonPath;
  const fromPython = Array.isArray(python) ? python.slice(1) : [];
  const extra = Array.isArray(config.pythonArgs) ? config.pythonArgs : [];
  return [...fromPython, ...extra].filter((a): a is string => typeof a === 'string');
}

/** Interpreter flags that keep sitecustomize from loading: -I (isolated), -E (no PYTHON* vars), -S (no site). */
export function agentBlockingFlags(args: string[]): string[] {
  const found: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('-') || arg.startsWith('--') || arg.length < 2) continue;
    for (const letter of arg.slice(1)) {
      if (letter === 'I' || letter === 'E' || letter === 'S') {
        if (!found.includes(`-${letter}`)) found.push(`-${letter}`);
      } else if ('WXcm'.includes(letter)) {
        if (arg.length === 2) i++; // its value is the next argument
        break; // the rest of the cluster is the value
      }
    }
  }
  return found;
}
