/** Activation: wires the extension's features together (each lives in its own file). */
import { join } from 'node:path';
import * as vscode from 'vscode';
import { InlineAdapterFactory } from './adapterFactory';
import { registerCommands } from './commands';
import { dynamicConfigurations, InspectorConfigurationProvider } from './configurationProvider';
import { DEBUG_TYPE, VIEW_ID } from './constants';
import { FlagDiagnostics } from './diagnostics';
import { FlagSettings } from './flagSettings';
import { SessionTracker } from './sessionTracker';
import { SessionStatusItem } from './statusItem';
import { TasksViewProvider } from './tasksViewProvider';
import { registerAsyncTasksView } from './debug/asyncTasksView';
import { ChildSessions } from './debug/childSessions';
import { followFocus } from './debug/focusedSession';
import { FollowedSessions } from './debug/followedSessions';
import { registerFollowProviders } from './debug/followProvider';
import { PauseWatch } from './debug/pauseWatch';

/**
 * What activate() returns: the few objects VS Code holds that its API cannot query back, for the
 * extension-host test suite (test/exthost). Not a public API.
 */
export interface AsyncInspectorApi {
  /** The provider of the "Run and Debug" dropdown's entries (VS Code offers no call to list them). */
  readonly dynamicConfigurations: vscode.DebugConfigurationProvider;
  /** The Async Tasks view's data (VS Code offers no call to read a tree view's items), and the message it shows above them. */
  readonly asyncTasks: vscode.TreeDataProvider<unknown> & { readonly message: string | undefined };
}

export function activate(context: vscode.ExtensionContext): AsyncInspectorApi {
  const distDir = join(context.extensionPath, 'dist');
  let followed: FollowedSessions | undefined = undefined;
  const tracker = new SessionTracker((session) => followed?.snapshotOf(session));
  const children = new ChildSessions();
  followed = new FollowedSessions(tracker, distDir, children);
  const flagSettings = new FlagSettings();
  const view = new TasksViewProvider(context.extensionUri, tracker, flagSettings);
  const asyncTasks = registerAsyncTasksView(tracker);
  context.subscriptions.push(
    tracker,
    flagSettings,
    view,
    new FlagDiagnostics(tracker, flagSettings),
    new SessionStatusItem(tracker, flagSettings),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, new InspectorConfigurationProvider()),
    vscode.debug.registerDebugConfigurationProvider(
      DEBUG_TYPE, dynamicConfigurations, vscode.DebugConfigurationProviderTriggerKind.Dynamic,
    ),
    vscode.debug.registerDebugAdapterDescriptorFactory(
      DEBUG_TYPE, new InlineAdapterFactory(distDir),
    ),
    followed,
    followFocus(tracker, followed),
    ...registerFollowProviders(followed),
    vscode.debug.registerDebugAdapterTrackerFactory('*', new PauseWatch(followed)),
    asyncTasks.disposable,
    children,
    vscode.window.registerWebviewViewProvider(VIEW_ID, view, { webviewOptions: { retainContextWhenHidden: true } }),
    ...registerCommands(tracker, view),
  );
  return { dynamicConfigurations, asyncTasks: asyncTasks.provider };
}

export function deactivate(): void {
  // Sessions and views are disposed through context.subscriptions.
}
