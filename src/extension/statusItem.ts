/**
 * A status-bar item while a traced program runs: how many tasks are pending and how many flags were
 * raised (kinds turned off in the settings not counted); clicking it reveals the Tasks view. Hidden when no
 * program runs.
 */
import * as vscode from 'vscode';
import type { SessionMessage } from '../shared/messages';
import { COMMAND } from './constants';
import type { FlagSettings } from './flagSettings';
import type { SessionTracker } from './sessionTracker';

export class SessionStatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('asyncInspector.status', vscode.StatusBarAlignment.Left, 10);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly tracker: SessionTracker, private readonly settings: FlagSettings) {
    this.item.name = 'Async Inspector';
    this.item.command = COMMAND.showView;
    this.subscription = tracker.onMessage((msg) => this.update(msg));
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }

  private update(msg: SessionMessage): void {
    const summary = this.tracker.summary();
    if (msg.type === 'ended' || !summary) {
      this.item.hide();
      return;
    }
    const { pending, running } = summary;
    let flags = 0;
    for (const f of this.tracker.flags()) if (this.settings.isShown(f.kind)) flags++;
    const flagText = flags > 0 ? ` $(warning) ${flags}` : '';
    this.item.text = `$(pulse) ${pending + running} live${flagText}`;
    this.item.tooltip = `Async Inspector: ${running} running, ${pending} pending, ${flags} flag${flags === 1 ? '' : 's'}. Click to show the tasks.`;
    this.item.show();
  }
}
