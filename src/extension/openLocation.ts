/**
 * Jump-to-source for the webview: opens a program file at a line, after checking that the request
 * names a real local file (the webview is not trusted to name arbitrary URIs).
 */
import * as vscode from 'vscode';
import { localFilePath } from './locationPath';

export interface SourceLocation {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  col?: number;
}

/** Opens the editor at `loc`; says so in the status bar (and returns false) when it cannot. */
export async function openLocation(loc: SourceLocation): Promise<boolean> {
  const path = localFilePath(loc.file);
  if (!path) return notOpened(`${loc.file} is not a local file`);
  const uri = vscode.Uri.file(path);
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (!(stat.type & vscode.FileType.File)) return notOpened(`${path} is not a file`);
  } catch {
    return notOpened(`${path} does not exist`);
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  const line = Math.min(Math.max(loc.line, 1), doc.lineCount) - 1;
  const col = Math.min(Math.max((loc.col ?? 1) - 1, 0), doc.lineAt(line).text.length);
  const pos = new vscode.Position(line, col);
  const range = new vscode.Range(pos, pos);
  const editor = await vscode.window.showTextDocument(doc, { selection: range, preview: true });
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return true;
}

/** Says in the status bar why a location was not opened. */
export function notOpened(reason: string): false {
  vscode.window.setStatusBarMessage(`Async Inspector: cannot open source (${reason})`, 5000);
  return false;
}
