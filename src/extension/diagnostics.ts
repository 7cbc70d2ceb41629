/**
 * The session's flags as VS Code diagnostics: a squiggle and a Problems entry at each flag's location,
 * with the stack as related information. Replaced as flags come and go; cleared when a new session
 * starts or the view is cleared, kept after the program ends. Kinds turned off in the settings are left out.
 */
import * as vscode from 'vscode';
import type { FlagView, Location } from '../model/types';
import { ERROR_KINDS, flagMessage } from '../model/flag-kinds';
import type { SessionMessage } from '../shared/messages';
import { withProcess } from '../shared/processes';
import type { FlagSettings } from './flagSettings';
import { localFilePath } from './locationPath';
import type { SessionTracker } from './sessionTracker';

const SOURCE = 'Async Inspector';
const MAX_RELATED = 12;

export class FlagDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('async-inspector');
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly tracker: SessionTracker, private readonly settings: FlagSettings) {
    this.subscriptions = [
      tracker.onMessage((msg) => this.onMessage(msg)),
      settings.onDidChange(() => this.publish(tracker.flags())),
    ];
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.collection.dispose();
  }

  private onMessage(msg: SessionMessage): void {
    if (msg.type === 'reset') this.collection.clear();
    else if (msg.type === 'delta' && (msg.delta.reset || msg.delta.flags.length > 0 || msg.delta.retractedFlags.length > 0
      || msg.delta.processes !== undefined)) {
      this.publish(this.tracker.flags());
    }
  }

  private publish(flags: Iterable<FlagView>): void {
    const processes = this.tracker.processes();
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const flag of flags) {
      const path = flag.location && localFilePath(flag.location.file);
      if (!flag.location || !path || !this.settings.isShown(flag.kind)) continue;
      const list = byFile.get(path) ?? [];
      list.push(toDiagnostic(flag, flag.location, withProcess(flagMessage(flag), processes, flag)));
      byFile.set(path, list);
    }
    this.collection.clear();
    for (const [path, list] of byFile) this.collection.set(vscode.Uri.file(path), list);
  }
}

/** `message`: the flag's, naming its process when the program ran as several ("… (pid 1234, worker.js)"). */
function toDiagnostic(flag: FlagView, loc: Location, message: string): vscode.Diagnostic {
  const d = new vscode.Diagnostic(lineRange(loc), message, ERROR_KINDS.has(flag.kind)
    ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
  d.source = SOURCE;
  d.code = flag.kind;
  const related = (flag.stack ?? [])
    .filter((f) => !(f.file === loc.file && f.line === loc.line))
    .slice(0, MAX_RELATED)
    .flatMap((f) => {
      const path = localFilePath(f.file);
      return path ? [new vscode.DiagnosticRelatedInformation(
        new vscode.Location(vscode.Uri.file(path), lineRange(f)), `called from ${f.function || '(anonymous)'}`,
      )] : [];
    });
  if (related.length > 0) d.relatedInformation = related;
  return d;
}

/** The flagged line from its first non-blank character (when the file is open), else the whole line. */
function lineRange(loc: Location): vscode.Range {
  const line = Math.max(0, loc.line - 1);
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === localFilePath(loc.file));
  if (doc && line < doc.lineCount) {
    const text = doc.lineAt(line);
    return new vscode.Range(line, text.firstNonWhitespaceCharacterIndex, line, text.text.length);
  }
  return new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER);
}
