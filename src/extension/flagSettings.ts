/** Follows the `asyncInspector.flags.*` settings; the diagnostics and the view ask it which flags to show. */
import * as vscode from 'vscode';
import { CONFIG_SECTION } from './constants';
import { disabledKinds } from './flagFilter';

export const FLAGS_DISABLED_SETTING = 'flags.disabled';

export class FlagSettings implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly subscription: vscode.Disposable;
  /** Kinds hidden from the Problems panel and the view. */
  disabled: ReadonlySet<string> = read();

  /** Fires after the set of disabled kinds changed. */
  readonly onDidChange = this.changed.event;

  constructor() {
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(`${CONFIG_SECTION}.${FLAGS_DISABLED_SETTING}`)) return;
      this.disabled = read();
      this.changed.fire();
    });
  }

  isShown(kind: string): boolean {
    return !this.disabled.has(kind);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function read(): ReadonlySet<string> {
  return disabledKinds(vscode.workspace.getConfiguration(CONFIG_SECTION).get<unknown>(FLAGS_DISABLED_SETTING));
}
