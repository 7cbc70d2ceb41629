/**
 * Sees a launch configuration the way the debug adapter would get it, without running anything: a second
 * configuration provider for the same debug type, registered after the extension's. VS Code calls the
 * providers of a type in the order they were registered, so this one receives what the extension's
 * resolvers made of the configuration (variables substituted), records it and returns undefined, which
 * stops the launch silently. When the extension refuses a configuration, the probe sees nothing.
 */
import * as vscode from 'vscode';
import { workspaceFolder } from './helpers';

export type Resolution = { started: boolean; resolved: vscode.DebugConfiguration | undefined };

export class ResolutionProbe implements vscode.Disposable {
  private readonly seen: vscode.DebugConfiguration[] = [];
  private readonly registration: vscode.Disposable;

  constructor(debugType: string) {
    this.registration = vscode.debug.registerDebugConfigurationProvider(debugType, {
      resolveDebugConfigurationWithSubstitutedVariables: (_folder, config) => {
        this.seen.push(JSON.parse(JSON.stringify(config)) as vscode.DebugConfiguration);
        return undefined;
      },
    });
  }

  /** Starts debugging `config` as F5 would and returns what reached the probe. */
  async resolve(config: vscode.DebugConfiguration, folder: vscode.WorkspaceFolder | undefined = workspaceFolder()): Promise<Resolution> {
    return this.during(() => vscode.debug.startDebugging(folder, config));
  }

  /** Runs `start` (a command that starts a session, say) and returns what reached the probe meanwhile. */
  async during(start: () => Thenable<unknown>): Promise<Resolution> {
    const before = this.seen.length;
    const started = (await start()) === true;
    return { started, resolved: this.seen[before] };
  }

  dispose(): void {
    this.registration.dispose();
  }
}
