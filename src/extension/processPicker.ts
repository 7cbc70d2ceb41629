/**
 * "Attach to Process" for our debug type: a quick pick of the running Node.js and Python processes with their
 * command lines (like the built-in debuggers' picker). Used by `${command:asyncInspector.pickProcess}` in an
 * attach configuration, and when an attach configuration has no processId.
 */
import * as vscode from 'vscode';
import { listAttachable } from '../attach/processes';

/** The chosen process id as a string (what `${command:…}` substitutes), or undefined when dismissed. */
export async function pickProcess(): Promise<string | undefined> {
  const items = listAttachable([process.pid, process.ppid]).map((p) => ({
    label: `${p.runtime === 'node' ? '$(symbol-event)' : '$(symbol-namespace)'} ${p.pid}`,
    description: p.runtime === 'node' ? 'Node.js' : 'Python',
    detail: p.command.length > 200 ? `${p.command.slice(0, 200)}…` : p.command,
    pid: p.pid,
  }));
  if (items.length === 0) {
    void vscode.window.showInformationMessage('Async Inspector: no running Node.js or Python process to attach to.');
    return undefined;
  }
  const chosen = await vscode.window.showQuickPick(items, {
    title: 'Async Inspector: Attach to Process',
    placeHolder: 'Pick the Node.js or Python process to inspect (it keeps running; disconnecting detaches)',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return chosen ? String(chosen.pid) : undefined;
}
