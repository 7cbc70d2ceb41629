/**
 * Followed js-debug sessions while they run (issue 11): a restart starts a fresh inspection (the old
 * program's tasks gone); two sessions at once keep their own inspections and the Async Tasks view follows
 * vscode.debug.activeDebugSession; a `node-terminal` configuration gets the agent (the panel fills).
 * Read through the Async Tasks view's provider (the extension's test API), with workspace/pending.js.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { suite, suiteSetup, suiteTeardown, teardown, test, type Context } from 'mocha';
import * as vscode from 'vscode';
import type { AsyncInspectorApi } from '../../../src/extension/extension';
import { activated, DebugConsoleLines, extension, nextEvent, SessionLog, waitFor, workspaceFile, workspaceFolder } from './helpers';

type Item = { kind?: string; task?: { name?: string } };

suite('followed sessions while they run', () => {
  let tasksView: AsyncInspectorApi['asyncTasks'];
  let log: SessionLog;
  /** Every top-level session started during a test (a restart may make a new one): stopped after it. */
  const started: vscode.DebugSession[] = [];
  let last: string[] = [];
  let listener: vscode.Disposable | undefined;

  /** The task names the Async Tasks view shows now, over all its groups. */
  const shown = async (): Promise<string[]> => {
    const names: string[] = [];
    for (const group of (await tasksView.getChildren(undefined)) ?? []) {
      for (const t of ((await tasksView.getChildren(group)) ?? []) as Item[]) if (t.task?.name) names.push(t.task.name);
    }
    return names;
  };
  const showing = (name: string, without: string[] = [], timeoutMs = 30_000): Promise<string[]> =>
    waitFor(() => `${name} (without ${without.join(', ') || 'nothing'}) in the Async Tasks view, which shows ${JSON.stringify(last)}; sessions: ${log}`,
      async () => {
        const names = (last = await shown());
        return names.includes(name) && !without.some((n) => names.includes(n)) ? names : undefined;
      }, timeoutMs);

  const launch = async (config: vscode.DebugConfiguration): Promise<vscode.DebugSession> => {
    const session = nextEvent(vscode.debug.onDidStartDebugSession, (s) => s.name === config.name && !s.parentSession, `${config.name} to start`, 30_000);
    assert.ok(await vscode.debug.startDebugging(workspaceFolder(), config), `${config.name} did not start`);
    return session;
  };
  /** True when `s` or one of its child sessions (js-debug's target) has the focus. */
  const focused = (s: vscode.DebugSession): true | undefined => {
    for (let a = vscode.debug.activeDebugSession; a; a = a.parentSession) if (a.id === s.id) return true;
    return undefined;
  };
  /**
   * Gives `s` (or one of its targets) the focus as a user does, through the debug toolbar's list of sessions
   * (workbench.action.debug.selectDebugSession): round n picks its n-th item, until one is `s`'s.
   */
  const focusOn = async (s: vscode.DebugSession): Promise<void> => {
    for (let round = 0; round < 8 && !focused(s); round++) {
      await vscode.commands.executeCommand('workbench.action.debug.selectDebugSession');
      await vscode.commands.executeCommand('quickInput.first');
      for (let i = 0; i < round; i++) await vscode.commands.executeCommand('quickInput.next');
      await vscode.commands.executeCommand('quickInput.accept');
      await new Promise((ok) => setTimeout(ok, 300));
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen'); // the list's last item starts a new session
    }
    await waitFor(() => `${s.name} in focus (have ${vscode.debug.activeDebugSession?.name})`, () => focused(s), 5000);
  };
  const node = (label: string): vscode.DebugConfiguration => ({
    type: 'node', request: 'launch', name: `exthost: pending ${label}`, program: '${workspaceFolder}/pending.js', args: [label], asyncInspector: true,
  });

  suiteSetup(async function (this: Context) {
    const settings = extension().packageJSON.contributes?.configuration?.properties as Record<string, unknown> | undefined;
    if (!settings?.['asyncInspector.followDebugSessions']) this.skip();
    tasksView = (await activated()).asyncTasks;
    log = new SessionLog();
    listener = vscode.debug.onDidStartDebugSession((s) => {
      if (!s.parentSession) started.push(s);
    });
  });
  suiteTeardown(() => {
    listener?.dispose();
    log?.dispose();
  });
  teardown(async () => {
    for (const s of started.splice(0)) await vscode.debug.stopDebugging(s).then(undefined, () => undefined);
  });

  // The API's activeDebugSession cannot be set (and a new session does not always take the focus here): the
  // view must show the focused one's tasks, whichever it is; stopping it moves the focus to the other.
  test('two followed sessions keep their own inspections; the Async Tasks view follows the active one', async () => {
    const alpha = await launch(node('alpha'));
    await showing('alphaWaits');
    const beta = await launch(node('beta'));
    await waitFor('a focused session', () => focused(alpha) ?? focused(beta));
    const [inFocus, other] = focused(alpha) ? [alpha, beta] : [beta, alpha];
    const taskOf = (s: vscode.DebugSession): string => (s === alpha ? 'alphaWaits' : 'betaWaits');
    await showing(taskOf(inFocus), [taskOf(other)]);
    await vscode.debug.stopDebugging(inFocus);
    await waitFor(() => `${other.name} in focus (have ${vscode.debug.activeDebugSession?.name})`, () => focused(other));
    await showing(taskOf(other), [taskOf(inFocus)]);
  }).timeout(90_000);

  // A session nothing inspects (no "asyncInspector": true) gets the focus: the views say it is not inspected instead
  // of showing the other session's tasks as if they were its; the inspected one's tasks come back with the focus.
  test('focusing a session that is not inspected says so; focusing the inspected one again shows its tasks', async () => {
    const alpha = await launch(node('alpha'));
    await showing('alphaWaits');
    const plain = await launch({ type: 'node', request: 'launch', name: 'exthost: pending plain', program: '${workspaceFolder}/pending.js', args: ['beta'] });
    await focusOn(plain);
    await waitFor(() => `the Async Tasks view to say "exthost: pending plain" is not inspected (message: ${tasksView.message}; tasks: ${JSON.stringify(last)})`,
      async () => ((last = await shown()).length === 0 && /exthost: pending plain.*is not inspected/.test(tasksView.message ?? '') ? true : undefined));
    await focusOn(alpha);
    await showing('alphaWaits', ['betaWaits']);
    assert.equal(tasksView.message, undefined);
  }).timeout(90_000);

  // Our own type's run-only session (its inspection is our adapter's) and a followed one: each shows its own tasks
  // whenever it gets the focus back (ours from the adapter's snapshot).
  test('focusing an async-inspector run-only session shows its tasks again after a followed session had the focus', async () => {
    const ours = await launch({ type: 'async-inspector', request: 'launch', name: 'exthost: pending ours', program: '${workspaceFolder}/pending.js', args: ['beta'], debug: false });
    await showing('betaWaits');
    const alpha = await launch(node('alpha'));
    await focusOn(alpha);
    await showing('alphaWaits', ['betaWaits']);
    await focusOn(ours);
    await showing('betaWaits', ['alphaWaits']);
    await focusOn(alpha);
    await showing('alphaWaits', ['betaWaits']);
  }).timeout(90_000);

  // js-debug restarts the program itself under the same launch session and configuration (its `restart`
  // request): the same channel gets the second program, and the inspection must start over.
  const restarts = (config: vscode.DebugConfiguration) => async () => {
    rmSync(workspaceFile('pending-restart.count').fsPath, { force: true });
    const s = await launch(config);
    await showing('firstRun');
    await waitFor('the session in focus', () => focused(s));
    await vscode.commands.executeCommand('workbench.action.debug.restart');
    const names = await showing('secondRun', ['firstRun'], 45_000);
    assert.deepEqual(names.filter((n) => n === 'secondRun'), ['secondRun']);
    // And it stays so: nothing of the old run comes back, the restarted session is not stopped.
    await new Promise((ok) => setTimeout(ok, 1500));
    await showing('secondRun', ['firstRun'], 5000);
    assert.ok(vscode.debug.activeDebugSession, 'the restarted session still runs');
  };
  test('restarting a followed node session starts a fresh inspection: the old program\'s tasks are gone', restarts(node('restart'))).timeout(90_000);
  // launch.json edited while the session runs: VS Code resolves the configuration again at the restart (a second
  // inspection, whose key the restart request carries) and js-debug relaunches the program with that environment.
  // The session's inspection is replaced: the view shows the new program's tasks, not an empty restarted one.
  test('restarting a followed node session after launch.json was edited replaces its inspection', async () => {
    rmSync(workspaceFile('pending-restart.count').fsPath, { force: true });
    const launchJson = vscode.workspace.getConfiguration('launch', workspaceFolder().uri);
    const config = { ...node('edited'), args: ['restart'] };
    await launchJson.update('configurations', [config], vscode.ConfigurationTarget.WorkspaceFolder);
    try {
      const session = nextEvent(vscode.debug.onDidStartDebugSession, (s) => s.name === config.name && !s.parentSession, `${config.name} to start`, 30_000);
      assert.ok(await vscode.debug.startDebugging(workspaceFolder(), config.name), `${config.name} did not start`);
      const s = await session;
      await showing('firstRun');
      await waitFor('the session in focus', () => focused(s));
      await launchJson.update('configurations', [{ ...config, env: { EDITED: '1' } }], vscode.ConfigurationTarget.WorkspaceFolder);
      await vscode.commands.executeCommand('workbench.action.debug.restart');
      await showing('secondRun', ['firstRun'], 45_000);
      await new Promise((ok) => setTimeout(ok, 1500));
      const names = await showing('secondRun', ['firstRun'], 5000);
      assert.deepEqual(names.filter((n) => n === 'secondRun'), ['secondRun']);
    } finally {
      await launchJson.update('configurations', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
    }
  }).timeout(90_000);
  // Our own type debugs through a pwa-node child session; VS Code restarts ours (terminate, then launch again).
  test('restarting an async-inspector session that debugs starts a fresh inspection', restarts({
    type: 'async-inspector', request: 'launch', name: 'exthost: pending restart (ours)', program: '${workspaceFolder}/pending.js', args: ['restart'],
  })).timeout(90_000);

  // What realistically keeps the agent out while js-debug still debugs: a launcher that sets NODE_OPTIONS itself
  // (workspace/node-own-options keeps only js-debug's bootloader). The Debug Console says so once; the session goes on.
  test('a followed Node program that runs without the agent: the Debug Console says why, once; debugging goes on', async () => {
    const console = new DebugConsoleLines();
    try {
      const target = nextEvent(vscode.debug.onDidStartDebugSession, (t) => t.name.startsWith('pending.js') && t.parentSession?.name === 'exthost: pending noagent',
        'the program\'s js-debug target', 30_000);
      const s = await launch({ ...node('noagent'), runtimeExecutable: '${workspaceFolder}/node-own-options' });
      const line = await console.next(/did not load in this Node program/, 45_000); // after 10 s of running without a hello
      assert.match(line, /NODE_OPTIONS lost the agent's --require.*debugging is not affected/);
      // Debugging goes on: the program's target answers, the session still runs.
      const answer = await (await target).customRequest('evaluate', { expression: 'process.argv.at(-1)', context: 'repl' }) as { result?: string };
      assert.equal(answer.result, "'noagent'");
      await new Promise((ok) => setTimeout(ok, 1500));
      assert.equal(console.lines.filter((l) => /did not load/.test(l)).length, 1, `said once: ${JSON.stringify(console.lines)}`);
      assert.ok(vscode.debug.activeDebugSession, `${s.name} still runs`);
    } finally {
      console.dispose();
    }
  }).timeout(90_000);

  // js-debug stops a worker thread on its own (a target of its own): the extension flushes that worker's agent
  // through it, so the view shows the worker's tasks as of the stop and marks the paused one (the `paused` event
  // comes only from that flush: without it the worker's agent had no flush function and nothing is marked).
  test('a stop inside a worker thread shows that worker\'s tasks as of the stop, the paused one marked', async () => {
    const stopped = nextEvent(vscode.debug.onDidStartDebugSession, (t) => t.name.includes('checkout worker'), 'the worker\'s js-debug target', 30_000);
    await launch({ type: 'node', request: 'launch', name: 'exthost: worker stop', program: '${workspaceFolder}/worker-stop.js', asyncInspector: true });
    await stopped;
    const paused = await waitFor(() => `a paused checkout in the Async Tasks view, which shows ${JSON.stringify(last)}; sessions: ${log}`, async () => {
      const items: string[] = [];
      for (const group of (await tasksView.getChildren(undefined)) ?? []) {
        for (const t of (await tasksView.getChildren(group)) ?? []) {
          const item = await tasksView.getTreeItem(t);
          items.push(`${String(item.label)} ${String(item.description)}`);
        }
      }
      last = items;
      return items.some((i) => /^checkout paused/.test(i)) ? items : undefined;
    }, 45_000);
    for (const name of ['fetchUser', 'loadCart']) assert.ok(paused.some((i) => i.startsWith(`${name} pending`)), `${name} pending: ${JSON.stringify(paused)}`);
  }).timeout(90_000);

  test('a node-terminal configuration marked "asyncInspector": true gets the agent: the panel fills', async () => {
    await launch({ type: 'node-terminal', request: 'launch', name: 'exthost: pending terminal', command: 'node pending.js terminal',
      cwd: '${workspaceFolder}', asyncInspector: true });
    await showing('terminalWaits', [], 45_000);
  }).timeout(90_000);
});
