/**
 * Starts the child session of an `async-inspector` session that debugs (childConfig.ts): when our session
 * starts with LAUNCH_EXTRA.childDebugType, the runtime's debugger is started as its child (its console merged
 * into ours, restart and stop going through ours); when that child ends, ours ends too, and when ours is
 * stopped, the child's debugger ends the program.
 */
import * as vscode from 'vscode';
import { LAUNCH_EXTRA } from '../../adapter/custom-events';
import { DEBUG_TYPE } from '../constants';
import { childConfiguration, type ChildDebugType } from './childConfig';
import type { DebugConfig } from './followDecision';

export class ChildSessions implements vscode.Disposable {
  private readonly parents = new Set<string>();
  /** The running child of each parent (by the parent's id). */
  private readonly children = new Map<string, vscode.DebugSession>();
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      vscode.debug.onDidStartDebugSession((s) => {
        if (s.parentSession && this.parents.has(s.parentSession.id)) this.children.set(s.parentSession.id, s);
        void this.started(s);
      }),
      vscode.debug.onDidTerminateDebugSession((s) => {
        this.parents.delete(s.id);
        // Stop on ours: its child still runs the program. A stop request sent to the child would come back to
        // ours (its lifecycle is managed by its parent), so the child's debugger is told directly.
        const child = this.children.get(s.id);
        this.children.delete(s.id);
        if (child) void Promise.resolve(child.customRequest('disconnect', { terminateDebuggee: true })).catch(() => undefined);
        this.programEnded(s);
      }),
    ];
  }

  /**
   * The program of `child` is done (its session ended, or its inspection did): the parent session ends too —
   * unless `child` is no longer its child (restarted, ours was launched again with a new child: that one stays).
   */
  programEnded(child: vscode.DebugSession): void {
    const parent = child.parentSession;
    if (!parent || this.children.get(parent.id)?.id !== child.id) return;
    this.children.delete(parent.id);
    void vscode.debug.stopDebugging(parent);
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
