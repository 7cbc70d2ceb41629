/**
 * The "Tasks" webview view: serves the HTML (strict CSP, nonce), validates every message the webview
 * sends, brings a (re)opened view up to date, then forwards the session's messages as they come (without
 * the flag kinds turned off in the settings; changing that setting brings the view up to date again).
 */
import * as vscode from 'vscode';
import {
  parseViewToExt, type ExtToViewMessage, type SessionMessage, type ViewRequest, type ViewToExtMessage,
} from '../shared/messages';
import { COMMAND } from './constants';
import { withoutDisabledFlags } from './flagFilter';
import type { FlagSettings } from './flagSettings';
import { notOpened, openLocation } from './openLocation';
import type { SessionTracker } from './sessionTracker';
import { makeNonce, renderWebviewHtml } from './webviewHtml';

export class TasksViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  /** True once the view's script said `ready` and received the current state. */
  private synced = false;
  /** Messages that arrive while a reply is on its way; sent right after it, in order. */
  private held: SessionMessage[] | null = null;
  /** The view's latest request; a settings change re-sends the state as its reply. */
  private lastRequest: ViewRequest | undefined;
  private replaying: Promise<void> = Promise.resolve();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly tracker: SessionTracker,
    private readonly settings: FlagSettings,
  ) {
    this.subscriptions = [
      tracker.onMessage((msg) => this.forward(msg)),
      settings.onDidChange(() => {
        const request = this.lastRequest;
        if (this.synced && request) this.replaying = this.replaying.then(() => this.reply(request));
      }),
    ];
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.synced = false;
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    const webview = view.webview;
    webview.options = { enableScripts: true, localResourceRoots: [dist, media] };
    webview.html = renderWebviewHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'webview.css')).toString(),
      codiconsUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'codicons', 'codicon.css')).toString(),
    });
    webview.onDidReceiveMessage((raw: unknown) => this.onViewMessage(raw));
    view.onDidDispose(() => {
      if (this.view === view) {
        this.view = undefined;
        this.synced = false;
      }
    });
  }

  /** Shows and focuses the view (VS Code creates it if it was never opened). */
  async reveal(): Promise<void> {
    if (this.view) this.view.show(true);
    else await vscode.commands.executeCommand(COMMAND.focusView);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }

  private onViewMessage(raw: unknown): void {
    const msg: ViewToExtMessage | undefined = parseViewToExt(raw);
    if (!msg) return; // not ours, or malformed: ignore rather than act on it
    switch (msg.type) {
      case 'ready':
      case 'requestSnapshot':
        this.lastRequest = msg;
        this.replaying = this.replaying.then(() => this.reply(msg));
        return;
      case 'openLocation':
        if (this.tracker.reported(msg.file)) void openLocation(msg);
        else notOpened(`${msg.file} is not a file this program reported`);
        return;
      default: {
        const never: never = msg;
        return never;
      }
    }
  }

  /** Answers a request with the whole state, then sends what arrived meanwhile. */
  private async reply(request: ViewRequest): Promise<void> {
    this.held = [];
    try {
      const state = await this.tracker.state();
      this.post({ type: 'state', replyTo: request.id, ...state });
    } finally {
      const held = this.held ?? [];
      this.held = null;
      this.synced = true;
      for (const msg of held) this.post(msg);
    }
  }

  private forward(msg: SessionMessage): void {
    if (this.held) this.held.push(msg);
    else if (this.synced) this.post(msg);
  }

  /** Deltas go on as they came from the adapter (validated once, where they entered the host). */
  private post(msg: ExtToViewMessage): void {
    void this.view?.webview.postMessage(withoutDisabledFlags(msg, this.settings.disabled));
  }
}
