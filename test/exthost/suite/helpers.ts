/**
 * What the extension-host tests share: the extension under test, the fixture workspace, waiting with a
 * deadline, and stand-ins for the things a test cannot click (message boxes, file dialogs). The stand-ins
 * replace functions of the `vscode` API object this suite shares with the extension (VS Code gives one
 * object per extension, and the suite's bundle lives inside the extension's folder), so the extension's
 * own calls reach them; each is put back by its dispose().
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suiteSetup, suiteTeardown } from 'mocha';
import * as vscode from 'vscode';
import type { AsyncInspectorApi } from '../../../src/extension/extension';

export const EXTENSION_ID = 'async-inspector.async-inspector';
export const DEBUG_TYPE = 'async-inspector';

export function extension(): vscode.Extension<AsyncInspectorApi> {
  const ext = vscode.extensions.getExtension<AsyncInspectorApi>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not loaded in this extension host`);
  return ext;
}

export async function activated(): Promise<AsyncInspectorApi> {
  return extension().activate();
}

export function workspaceFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the suite runs with test/exthost/workspace (a copy of it) as its folder; none is open');
  return folder;
}

export function workspaceFile(name: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceFolder().uri, name);
}

/** The 1-based line of a fixture that carries `marker` (fixtures mark their planted flags with a comment). */
export function lineOf(file: vscode.Uri, marker: string): number {
  const index = readFileSync(file.fsPath, 'utf8').split('\n').findIndex((l) => l.includes(marker));
  if (index < 0) throw new Error(`${file.fsPath} has no line with ${JSON.stringify(marker)}`);
  return index + 1;
}

/**
 * Polls `probe` until it returns something other than undefined; fails after the deadline with `what`
 * (a function when it should describe the state at that moment).
 */
export async function waitFor<T>(
  what: string | (() => string), probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The first event of `event` that `accept` takes, or a failure naming `what` after the deadline (a function
 * when it should describe the state at that moment).
 */
export function nextEvent<T>(event: vscode.Event<T>, accept: (e: T) => boolean, what: string | (() => string), timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`));
    }, timeoutMs);
    const listener = event((e) => {
      if (!accept(e)) return;
      clearTimeout(timer);
      listener.dispose();
      resolve(e);
    });
  });
}

type Stubbable = 'showErrorMessage' | 'showWarningMessage' | 'showInformationMessage' | 'showSaveDialog';

function replace(name: Stubbable, fake: (...args: unknown[]) => unknown): vscode.Disposable {
  const window = vscode.window as unknown as Record<Stubbable, unknown>;
  const original = window[name];
  window[name] = fake;
  if (window[name] !== fake) throw new Error(`vscode.window.${name} cannot be replaced in this host`);
  return new vscode.Disposable(() => {
    window[name] = original;
  });
}

export type ShownMessage = { severity: 'error' | 'warning' | 'information'; text: string };

/** Records the message boxes the extension shows and answers each as if the user closed it. */
export class Messages implements vscode.Disposable {
  readonly shown: ShownMessage[] = [];
  private readonly stubs = (['error', 'warning', 'information'] as const).map((severity) => {
    const name = `show${severity[0].toUpperCase()}${severity.slice(1)}Message` as Stubbable;
    return replace(name, (text: unknown) => {
      this.shown.push({ severity, text: String(text) });
      return Promise.resolve(undefined);
    });
  });

  /** Waits for a message of that severity whose text matches. */
  async next(severity: ShownMessage['severity'], pattern: RegExp, timeoutMs = 10_000): Promise<string> {
    return waitFor(() => `an ${severity} message matching ${pattern} (shown: ${JSON.stringify(this.shown)})`,
      () => this.shown.find((m) => m.severity === severity && pattern.test(m.text))?.text, timeoutMs);
  }

  dispose(): void {
    for (const s of this.stubs) s.dispose();
  }
}

/**
 * Runs a command that asks where to save (Save Session, Export Chrome Trace), answering its dialog with
 * `uri`: what the command returned, and the options the dialog was opened with.
 */
export async function saveAs(command: string, uri: vscode.Uri): Promise<{ returned: unknown; asked: vscode.SaveDialogOptions[] }> {
  const asked: vscode.SaveDialogOptions[] = [];
  const dialog = replace('showSaveDialog', (options: unknown) => {
    asked.push(options as vscode.SaveDialogOptions);
    return Promise.resolve(uri);
  });
  try {
    return { returned: await vscode.commands.executeCommand(command), asked };
  } finally {
    dialog.dispose();
  }
}

/**
 * Records what the extension writes to the Debug Console (`vscode.debug.activeDebugConsole`, which a test
 * cannot read back) while it is in place.
 */
export class DebugConsoleLines implements vscode.Disposable {
  readonly lines: string[] = [];
  private readonly original = Object.getOwnPropertyDescriptor(vscode.debug, 'activeDebugConsole');

  constructor() {
    const fake: vscode.DebugConsole = { append: (text) => void this.lines.push(text), appendLine: (text) => void this.lines.push(text) };
    Object.defineProperty(vscode.debug, 'activeDebugConsole', { get: () => fake, configurable: true });
    if (vscode.debug.activeDebugConsole !== fake) throw new Error('vscode.debug.activeDebugConsole cannot be replaced in this host');
  }

  /** Waits for a line that matches. */
  next(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
    return waitFor(() => `a Debug Console line matching ${pattern} (written: ${JSON.stringify(this.lines)})`,
      () => this.lines.find((l) => pattern.test(l)), timeoutMs);
  }

  dispose(): void {
    if (this.original) Object.defineProperty(vscode.debug, 'activeDebugConsole', this.original);
  }
}

/** Disposes everything pushed to it, newest first (for teardown). */
export class Cleanup {
  private readonly items: vscode.Disposable[] = [];
  add<T extends vscode.Disposable>(d: T): T {
    this.items.push(d);
    return d;
  }
  dispose(): void {
    for (const d of this.items.splice(0).reverse()) d.dispose();
  }
}

/** The debug sessions that started and ended (type, name, parent), to say what happened when a wait fails. */
export class SessionLog implements vscode.Disposable {
  private readonly lines: string[] = [];
  private readonly subscriptions = [
    vscode.debug.onDidStartDebugSession((s) => this.lines.push(`started ${s.type} "${s.name}"${s.parentSession ? ` (child of "${s.parentSession.name}")` : ''}`)),
    vscode.debug.onDidTerminateDebugSession((s) => this.lines.push(`ended ${s.type} "${s.name}"`)),
  ];

  toString(): string {
    return this.lines.length ? this.lines.join('; ') : 'no session started or ended';
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }
}

/** What a suite that runs sessions sets up: the extension active, its message boxes recorded, a scratch folder. */
export interface SessionSuite {
  readonly messages: Messages;
  readonly sessions: SessionLog;
  /** A temporary folder for the files the commands write, removed after the suite. */
  readonly files: string;
}

/** Call inside suite(): the returned object is filled in before the suite's first test. */
export function sessionSuite(): SessionSuite {
  const cleanup = new Cleanup();
  const fixture = {} as { messages: Messages; sessions: SessionLog; files: string };
  suiteSetup(async () => {
    await activated();
    fixture.messages = cleanup.add(new Messages());
    fixture.sessions = cleanup.add(new SessionLog());
    const files = mkdtempSync(join(tmpdir(), 'async-inspector-exthost-'));
    cleanup.add(new vscode.Disposable(() => rmSync(files, { recursive: true, force: true })));
    fixture.files = files;
  });
  suiteTeardown(() => cleanup.dispose());
  return fixture;
}
