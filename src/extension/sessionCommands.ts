/**
 * Save Session (the report JSON), Open Session… (a saved report back in the view, nothing runs) and
 * Export Chrome Trace (trace-event JSON for Perfetto / chrome://tracing), through the file dialogs.
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { Report } from '../model/types';
import { COMMAND } from './constants';
import { MAX_REPORT_BYTES, parseReport, reportToTrace } from './sessionFiles';
import type { SessionTracker } from './sessionTracker';
import type { TasksViewProvider } from './tasksViewProvider';

const SESSION_FILTERS = { 'Async Inspector session': ['json'] };

export function registerSessionCommands(tracker: SessionTracker, view: TasksViewProvider): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMAND.saveSession, () => saveSession(tracker)),
    vscode.commands.registerCommand(COMMAND.openSession, (uri?: vscode.Uri) => openSession(tracker, view, uri)),
    vscode.commands.registerCommand(COMMAND.exportTrace, () => exportTrace(tracker)),
  ];
}

function reportOrSay(tracker: SessionTracker): Report | undefined {
  const report = tracker.currentReport();
  if (!report) void vscode.window.showInformationMessage('Async Inspector: no session to save yet. Trace a program, or open a saved session.');
  return report;
}

/** A file name from the program's name: `shop.session.json`, `shop.trace.json`. */
function defaultUri(report: Report, suffix: string): vscode.Uri {
  const program = report.command.find((a, i) => i > 0 && !a.startsWith('-')) ?? 'session';
  const name = `${basename(program).replace(/\.[^.]+$/, '') || 'session'}.${suffix}.json`;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return folder ? vscode.Uri.joinPath(folder, name) : vscode.Uri.file(name);
}

async function writeJson(uri: vscode.Uri, value: unknown): Promise<void> {
  await vscode.workspace.fs.writeFile(uri, Buffer.from(`${JSON.stringify(value)}\n`, 'utf8'));
}

async function saveSession(tracker: SessionTracker): Promise<vscode.Uri | undefined> {
  const report = reportOrSay(tracker);
  if (!report) return undefined;
  const uri = await vscode.window.showSaveDialog({ defaultUri: defaultUri(report, 'session'), filters: SESSION_FILTERS, saveLabel: 'Save Session' });
  if (!uri) return undefined;
  await writeJson(uri, report);
  vscode.window.setStatusBarMessage(`Async Inspector: session saved to ${basename(uri.fsPath)}`, 5000);
  return uri;
}

async function exportTrace(tracker: SessionTracker): Promise<vscode.Uri | undefined> {
  const report = reportOrSay(tracker);
  if (!report) return undefined;
  const uri = await vscode.window.showSaveDialog({
    defaultUri: defaultUri(report, 'trace'), filters: { 'Chrome trace (Perfetto)': ['json'] }, saveLabel: 'Export Trace',
  });
  if (!uri) return undefined;
  await writeJson(uri, reportToTrace(report));
  // Confirmed like Save Session (the status bar), plus a notification that offers Perfetto; not awaited,
  // so the command finishes when the file is written.
  vscode.window.setStatusBarMessage(`Async Inspector: Chrome trace exported to ${basename(uri.fsPath)}`, 5000);
  const open = 'Open Perfetto';
  void vscode.window.showInformationMessage(
    `Async Inspector: trace written to ${basename(uri.fsPath)}. Load it in ui.perfetto.dev or chrome://tracing.`, open,
  ).then((choice) => (choice === open ? vscode.env.openExternal(vscode.Uri.parse('https://ui.perfetto.dev')) : undefined));
  return uri;
}

/** Opens a saved report (from the dialog, or `uri` when given, e.g. by a test or the explorer). */
async function openSession(tracker: SessionTracker, view: TasksViewProvider, given?: vscode.Uri): Promise<boolean> {
  const uri = given instanceof vscode.Uri ? given : (await vscode.window.showOpenDialog({
    canSelectMany: false, filters: SESSION_FILTERS, openLabel: 'Open Session',
  }))?.[0];
  if (!uri) return false;
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > MAX_REPORT_BYTES) throw new Error(`the file is larger than ${MAX_REPORT_BYTES >> 20} MB`);
    const parsed = parseReport(Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8'));
    if (!parsed.ok) throw new Error(parsed.error);
    tracker.openReport(parsed.report);
    await view.reveal();
    if (parsed.skipped > 0) {
      void vscode.window.showWarningMessage(`Async Inspector: ${parsed.skipped} malformed task(s) or flag(s) in ${basename(uri.fsPath)} were left out.`);
    }
    return true;
  } catch (err) {
    void vscode.window.showErrorMessage(`Async Inspector: cannot open ${basename(uri.fsPath)}: ${(err as Error).message}`);
    return false;
  }
}
