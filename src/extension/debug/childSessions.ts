/**
 * Starts the child session of an `async-inspector` session that debugs (childConfig.ts): when our session
 * starts with LAUNCH_EXTRA.childDebugType, the runtime's debugger is started as its child (its console merged
 * into ours, restart and stop going through ours); when that child ends, ours ends too.
 */
import * as vscode from 'vscode';
import { LAUNCH_EXTRA } from '../../adapter/custom-events';
import { DEBUG_TYPE } from '../constants';
import { childConfiguration, type ChildDebugType } from './childConfig';
import type { DebugConfig } from './followDecision';

export class ChildSessions implements vscode.Disposable {
  private readonly parents = new Set<string>();
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      vscode.debug.onDidStartDebugSession((s) => void this.started(s)),
      vscode.debug.onDidTerminateDebugSession((s) => {
        this.parents.delete(s.id);
        const parent = s.parentSession;
        if (parent && (this.parents.has(parent.id) || parent.type === DEBUG_TYPE)) void vscode.debug.stopDebugging(parent);
      }),
    ];
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }

  private async started(session: vscode.DebugSession): Promise<void> {
    const type: unknown = session.configuration[LAUNCH_EXTRA.childDebugType];
    if (session.type !== DEBUG_TYPE || (type !== 'pwa-node' && type !== 'debugpy')) return;
    this.parents.add(session.id);
    const child = childConfiguration(session.configuration as DebugConfig, type as ChildDebugType);
    const started = await vscode.debug.startDebugging(session.workspaceFolder, child as vscode.DebugConfiguration, {
      parentSession: session, lifecycleManagedByParent: true, consoleMode: vscode.DebugConsoleMode.MergeWithParent, compact: true,
    });
    if (!started) void vscode.debug.stopDebugging(session);
  }
}
