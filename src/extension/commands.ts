/** The extension's commands: trace the active file, show the Tasks view, clear it; sessions (sessionCommands.ts). */
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import { COMMAND, DEBUG_TYPE } from './constants';
import { runtimeForLanguage, runtimeForProgram } from './programRuntime';
import { pickProcess } from './processPicker';
import { registerSessionCommands } from './sessionCommands';
import type { SessionTracker } from './sessionTracker';
import type { TasksViewProvider } from './tasksViewProvider';

export function registerCommands(tracker: SessionTracker, view: TasksViewProvider): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMAND.traceCurrentFile, () => traceCurrentFile(view)),
    vscode.commands.registerCommand(COMMAND.showView, () => view.reveal()),
    vscode.commands.registerCommand(COMMAND.clear, () => tracker.clear()),
    vscode.commands.registerCommand(COMMAND.pickProcess, () => pickProcess()),
    vscode.commands.registerCommand(COMMAND.attachToProcess, async () => {
      await view.reveal();
      // No processId: the configuration provider shows the picker.
      return vscode.debug.startDebugging(undefined, { type: DEBUG_TYPE, request: 'attach', name: 'Async Inspector: attach to process' });
    }),
    ...registerSessionCommands(tracker, view),
  ];
}

/** Starts an Async Inspector session on the file in the active editor (saved first). */
async function traceCurrentFile(view: TasksViewProvider): Promise<boolean> {
  const doc = vscode.window.activeTextEditor?.document;
  if (!doc || !(runtimeForLanguage(doc.languageId) || runtimeForProgram(doc.uri.fsPath))) {
    void vscode.window.showErrorMessage('Async Inspector: open a JavaScript, TypeScript or Python file to trace it.');
    return false;
  }
  if (doc.isUntitled || doc.uri.scheme !== 'file') {
    void vscode.window.showErrorMessage('Async Inspector: save the file to disk first, then trace it.');
    return false;
  }
  if (doc.isDirty && !(await doc.save())) return false;
  const program = doc.uri.fsPath;
  const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
  await view.reveal();
  return vscode.debug.startDebugging(folder, {
    type: DEBUG_TYPE,
    request: 'launch',
    name: `Async Inspector: ${basename(program)}`,
    program,
    cwd: folder?.uri.fsPath ?? dirname(program),
  });
}
