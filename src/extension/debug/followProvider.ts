/**
 * Configuration resolvers for the runtime debuggers' types (node, pwa-node, node-terminal, debugpy, python):
 * any extension may resolve another's type, and VS Code runs every resolver of a type in turn. After the
 * variables are substituted, a configuration that asks to be followed gets an inspection of its own and the
 * agent in its environment (followDecision.ts); everything else passes through untouched. js-debug rewrites
 * `node` to `pwa-node` and VS Code resolves it again: the configuration then carries its inspection's id and
 * is left as it is. Nothing here may break a debug session: on any trouble the configuration goes on unchanged.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { CONFIG_SECTION } from '../constants';
import type { AgentEnvironment } from '../../inspection/agent-env';
import { injectPythonAgent, type PythonHost } from '../../inspection/inject-python';
import { decideFollow, FOLLOWED_TYPES, INSPECTION_KEY, injectNodeAgent, type DebugConfig, type FollowSetting } from './followDecision';
import type { FollowedSessions } from './followedSessions';

export class FollowProvider implements vscode.DebugConfigurationProvider {
  constructor(private readonly followed: FollowedSessions) {}

  async resolveDebugConfigurationWithSubstitutedVariables(
    folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration,
  ): Promise<vscode.DebugConfiguration> {
    const settings = vscode.workspace.getConfiguration(CONFIG_SECTION, folder?.uri);
    const decision = decideFollow(config as DebugConfig, settings.get<FollowSetting>('followDebugSessions', 'marked'));
    switch (decision.kind) {
      case 'skip':
        return config;
      case 'explain':
        this.followed.sayOnce(decision.message);
        return config;
      case 'follow':
        break;
      default: {
        const unknown: never = decision;
        return unknown;
      }
    }
    let opened: { id: string; agent: AgentEnvironment } | undefined;
    try {
      opened = await this.followed.open(config as DebugConfig, decision.runtime, {
        maxFinishedTasks: settings.get<number>('maxFinishedTasks'),
        blockThresholdMs: settings.get<number>('blockThresholdMs'),
        // The configuration's own "traceChildProcesses" (an async-inspector launch hands it to its child) wins.
        traceChildProcesses: typeof config.traceChildProcesses === 'boolean'
          ? config.traceChildProcesses : settings.get<boolean>('traceChildProcesses'),
      });
      const injected = decision.runtime === 'node'
        ? injectNode(config as DebugConfig, opened.agent, opened.id)
        : injectPython(config as DebugConfig, opened.agent, opened.id, folder);
      if (injected.warning) this.followed.sayOnce(injected.warning);
      if (injected.config) {
        // A Python warning says why the agent cannot load (-I, -E, -S): the session need not notice it again.
        if (injected.warning && decision.runtime === 'python') this.followed.warned(opened.id);
        return injected.config as vscode.DebugConfiguration;
      }
    } catch (err) {
      this.followed.sayOnce(`Async Inspector: cannot follow this session (${err instanceof Error ? err.message : String(err)}); debugging goes on as usual.`);
    }
    if (opened) this.followed.forget(opened.id);
    return config;
  }
}

type Injected = { config?: DebugConfig; warning?: string };

function injectNode(config: DebugConfig, agent: AgentEnvironment, id: string): Injected {
  if (!existsSync(agent.nodeAgent)) throw new Error(`the Node agent is missing (${agent.nodeAgent})`);
  return injectNodeAgent(config, agent, id, process.env);
}

/** debugpy / python: the Python Debugger's own environment merge, our sitecustomize first (src/inspection/inject-python.ts). */
function injectPython(config: DebugConfig, agent: AgentEnvironment, id: string, folder: vscode.WorkspaceFolder | undefined): Injected {
  const envFile = vscode.workspace.getConfiguration('python', folder?.uri).get<string>('envFile');
  const host: PythonHost = {
    env: process.env, platform: process.platform,
    readFile: (path) => (existsSync(path) ? readFileSync(path, 'utf8') : undefined),
    ...(folder ? { defaultEnvFile: (envFile ?? '${workspaceFolder}/.env').replace('${workspaceFolder}', folder.uri.fsPath) } : {}),
  };
  const result = injectPythonAgent(config, { variables: agent.variables, pythonDir: agent.pythonDir, session: id }, host);
  switch (result.kind) {
    case 'skipped':
      return { warning: `Async Inspector: ${result.reason}` };
    case 'injected':
      return { config: { ...result.config, [INSPECTION_KEY]: id }, ...(result.warning ? { warning: result.warning } : {}) };
  }
}

/** One provider per followed debug type. */
export function registerFollowProviders(followed: FollowedSessions): vscode.Disposable[] {
  const provider = new FollowProvider(followed);
  return Object.keys(FOLLOWED_TYPES).map((type) => vscode.debug.registerDebugConfigurationProvider(type, provider));
}
