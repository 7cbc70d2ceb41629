/**
 * What the extension says in the Debug Console about followed sessions: each distinct text once. A text said
 * while a configuration is resolved, before its session exists, waits for that session's console.
 */
import * as vscode from 'vscode';

export class DebugConsoleNotes {
  private readonly said = new Set<string>();
  private waiting: string[] = [];

  /** Says `text` unless it was said before. */
  sayOnce(text: string): void {
    if (this.said.has(text)) return;
    this.said.add(text);
    if (vscode.debug.activeDebugSession) vscode.debug.activeDebugConsole.appendLine(text);
    else this.waiting.push(text);
  }

  /** A debug session started: what waited goes to its console. */
  sessionStarted(): void {
    for (const text of this.waiting.splice(0)) vscode.debug.activeDebugConsole.appendLine(text);
  }
}
