/**
 * Completes and checks `async-inspector` launch configurations before a session starts: F5 without a
 * launch.json traces the active file; the runtime comes from the program's extension, the Python
 * interpreter and thresholds from the settings; a wrong configuration is one readable message, not a
 * failed session.
 */
import * as vscode from 'vscode';
import { LAUNCH_EXTRA } from '../adapter/custom-events';
import { resolveLaunchArgs } from '../adapter/launch-args';
import { childDebugType } from './debug/childConfig';
import type { DebugConfig } from './debug/followDecision';
import { CONFIG_SECTION, DEBUG_TYPE } from './constants';
import { pickProcess } from './processPicker';
import { runtimeForLanguage, runtimeForProgram } from './programRuntime';

/** Offered in the "Run and Debug" dropdown (registered with the Dynamic trigger kind only). */
export const dynamicConfigurations: vscode.DebugConfigurationProvider = {
  provideDebugConfigurations: () => [currentFileConfiguration()],
};

export class InspectorConfigurationProvider implements vscode.DebugConfigurationProvider {
  async resolveDebugConfiguration(
    folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration,
  ): Promise<vscode.DebugConfiguration | undefined> {
    if (config.request === 'attach') return resolveAttach(folder, config);
    // F5 with no launch.json: an empty configuration; trace the active file when it is a program.
    if (!config.type && !config.request && !config.name) {
      const editor = vscode.window.activeTextEditor;
      if (!editor || !runtimeForLanguage(editor.document.languageId)) {
        void showError('Open a JavaScript, TypeScript or Python file to trace it, or add an "async-inspector" launch configuration.');
        return undefined;
      }
      config = currentFileConfiguration();
    }
    if (typeof config.program !== 'string' || config.program.trim() === '') {
      void showError('The launch configuration has no "program": set it to the .js or .py file to run, e.g. "${workspaceFolder}/app.js".');
      return undefined;
    }
    const settings = vscode.workspace.getConfiguration(CONFIG_SECTION, folder?.uri);
    config.blockThresholdMs ??= settings.get<number>('blockThresholdMs');
    config.maxFinishedTasks ??= settings.get<number>('maxFinishedTasks');
    config.traceChildProcesses ??= settings.get<boolean>('traceChildProcesses');
    if (config.cwd === undefined && folder) config.cwd = folder.uri.fsPath;
    return config;
  }

  /** After ${file}/${workspaceFolder} are substituted: pick runtime and interpreter, then check it all. */
  resolveDebugConfigurationWithSubstitutedVariables(
    folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration,
  ): vscode.DebugConfiguration | undefined {
    if (config.request === 'attach') return config;
    const program = String(config.program);
    config.runtime ??= runtimeForProgram(program);
    if (config.runtime === 'python' && !config.runtimeExecutable) {
      const settings = vscode.workspace.getConfiguration(CONFIG_SECTION, folder?.uri);
      config.runtimeExecutable = settings.get<string>('python') || 'python3';
    }
    const checked = resolveLaunchArgs(config, { cwd: folder?.uri.fsPath ?? process.cwd(), env: process.env });
    if (!checked.ok) {
      void showError(checked.error);
      return undefined;
    }
    config.runtime = checked.plan.runtime;
    const child = childDebugType(checked.plan.runtime, config as DebugConfig, pythonDebuggerInstalled());
    if (child.type) config[LAUNCH_EXTRA.childDebugType] = child.type;
    else if ('note' in child && child.note) config[LAUNCH_EXTRA.debuggerNote] = child.note;
    return config;
  }
}

/** An attach configuration: the process from the picker when none is named; the settings' thresholds. */
async function resolveAttach(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): Promise<vscode.DebugConfiguration | undefined> {
  if (config.processId === undefined || config.processId === '') {
    const pid = await pickProcess();
    if (pid === undefined) return undefined; // dismissed: no session, no error
    config.processId = pid;
  }
  const settings = vscode.workspace.getConfiguration(CONFIG_SECTION, folder?.uri);
  config.blockThresholdMs ??= settings.get<number>('blockThresholdMs');
  config.maxFinishedTasks ??= settings.get<number>('maxFinishedTasks');
  return config;
}

/** A `debugpy` debugger is installed (Microsoft's Python Debugger extension, or any that contributes the type). */
function pythonDebuggerInstalled(): boolean {
  return vscode.extensions.all.some((e) => {
    const debuggers: unknown = (e.packageJSON as { contributes?: { debuggers?: unknown } } | undefined)?.contributes?.debuggers;
    return Array.isArray(debuggers) && debuggers.some((d) => (d as { type?: unknown } | null)?.type === 'debugpy');
  });
}

function currentFileConfiguration(): vscode.DebugConfiguration {
  return { type: DEBUG_TYPE, request: 'launch', name: 'Async Inspector: current file', program: '${file}' };
}

async function showError(message: string): Promise<void> {
  const open = 'Open launch.json';
  const choice = await vscode.window.showErrorMessage(`Async Inspector: ${message}`, open);
  if (choice === open) await vscode.commands.executeCommand('workbench.action.debug.configure');
}
