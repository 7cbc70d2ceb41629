/**
 * The "Async Tasks" view in Run and Debug, beside CALL STACK: the shown session's tasks by loop / thread,
 * each expandable to its await chain (asyncTaskTree.ts), the paused task first and marked; a click opens
 * its line. It follows what the Tasks view shows, which follows the debug session in focus.
 */
import * as vscode from 'vscode';
import type { Location, TaskView } from '../../model/types';
import type { SessionTracker } from '../sessionTracker';
import { ASYNC_TASKS_VIEW_ID, COMMAND } from '../constants';
import { openLocation, type SourceLocation } from '../openLocation';
import { uninspectedText } from '../../shared/messages';
import { awaitChain, groupTasks, whereIs, type ChainLink, type TaskGroup } from './asyncTaskTree';

type Node =
  | { kind: 'group'; group: TaskGroup }
  | { kind: 'task'; task: TaskView }
  | { kind: 'link'; link: ChainLink; parent: string };

/** Tree refreshes are coalesced: deltas come up to 20 times a second. */
const REFRESH_MS = 200;
const STATE_ICONS: Record<string, string> = {
  running: 'play-circle', pending: 'watch', queued: 'list-ordered', done: 'pass', failed: 'error', cancelled: 'circle-slash',
};

export class AsyncTasksView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly tracker: SessionTracker) {
    this.subscription = tracker.onMessage((msg) => {
      // A stop or a new session shows at once; deltas are coalesced.
      if (msg.type === 'paused' || msg.type === 'reset' || msg.type === 'ended') this.refresh(0);
      else this.refresh(REFRESH_MS);
    });
  }

  /** Shown above the (empty) tree while the debug session in focus is not inspected. */
  get message(): string | undefined {
    const name = this.tracker.store.uninspected;
    return name === null ? undefined : uninspectedText(name);
  }

  getChildren(node?: Node): Node[] {
    const store = this.tracker.store;
    if (!node) {
      if (!store.session) return [];
      const groups = groupTasks(store.tasks.values(), store.loops, this.tracker.paused?.task ?? null, store.status === 'ended');
      return groups.map((group) => ({ kind: 'group', group }));
    }
    switch (node.kind) {
      case 'group':
        return node.group.tasks.map((task) => ({ kind: 'task', task }));
      case 'task':
        return awaitChain(node.task, (id) => store.tasks.get(id), store.site).map((link) => ({ kind: 'link', link, parent: node.task.id }));
      case 'link':
        return [];
    }
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'group': {
        const item = new vscode.TreeItem(node.group.label, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `group:${node.group.id}`;
        item.description = `${node.group.tasks.length}`;
        item.iconPath = new vscode.ThemeIcon('server-process');
        return item;
      }
      case 'task': {
        const t = node.task;
        const paused = this.tracker.paused?.task === t.id;
        const hasChain = t.awaiting.length > 0 || t.awaitedBy.length > 0 || t.awaitAt;
        const item = new vscode.TreeItem(t.name || '(anonymous)', hasChain ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        item.id = `task:${t.id}`;
        const where = whereIs(t, this.tracker.store.site);
        item.description = [paused ? 'paused' : t.state, where ? short(where) : ''].filter(Boolean).join(' · ');
        item.iconPath = new vscode.ThemeIcon(paused ? 'debug-stackframe' : (STATE_ICONS[t.state] ?? 'circle-outline'));
        item.tooltip = `${t.name} — ${t.kind}, ${paused ? 'paused here' : t.state}${where ? `\n${where.file}:${where.line}` : ''}`;
        item.contextValue = paused ? 'pausedTask' : 'task';
        if (where) item.command = open(where);
        return item;
      }
      case 'link': {
        const { task, at, role } = node.link;
        const item = new vscode.TreeItem(at ? short(at) : '(no line)', vscode.TreeItemCollapsibleState.None);
        item.id = `link:${node.parent}:${task.id}`;
        item.description = role === 'self' ? `in ${task.name}` : role === 'awaited' ? `${task.name} (awaited)` : `awaited by ${task.name}`;
        item.iconPath = new vscode.ThemeIcon(role === 'self' ? 'arrow-right' : role === 'awaited' ? 'arrow-small-down' : 'arrow-small-up');
        if (at) item.command = open(at);
        return item;
      }
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.subscription.dispose();
    this.changed.dispose();
  }

  private refresh(ms: number): void {
    if (ms === 0) clearTimeout(this.timer);
    else if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.changed.fire(undefined);
    }, ms);
  }
}

function short(loc: Location): string {
  const file = loc.file.split(/[\\/]/).pop() ?? loc.file;
  return `${file}:${loc.line}`;
}

function open(loc: Location): vscode.Command {
  return { command: COMMAND.openLocation, title: 'Open', arguments: [{ file: loc.file, line: loc.line, col: loc.col }] };
}

/**
 * The view, and the command its rows run (a location from our own tree, checked again by openLocation).
 * The provider is returned too (the extension-host tests read the tree's items through it).
 */
export function registerAsyncTasksView(tracker: SessionTracker): { provider: AsyncTasksView; disposable: vscode.Disposable } {
  const provider = new AsyncTasksView(tracker);
  const view = vscode.window.createTreeView(ASYNC_TASKS_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  const message = tracker.onMessage((msg) => {
    if (msg.type === 'reset') view.message = provider.message;
  });
  const command = vscode.commands.registerCommand(COMMAND.openLocation, (loc: SourceLocation) => openLocation(loc));
  return { provider, disposable: vscode.Disposable.from(provider, view, command, message) };
}
