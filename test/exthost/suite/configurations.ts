/**
 * The `async-inspector` configuration providers as VS Code runs them on F5: defaults filled in from the
 * settings, the runtime told from the program, the Python interpreter from `asyncInspector.python`, the
 * "Run and Debug" dropdown's entry, and bad configurations refused with one readable message (no session).
 */
import assert from 'node:assert/strict';
import { setup, suite, suiteSetup, suiteTeardown, teardown, test } from 'mocha';
import * as vscode from 'vscode';
import { findExecutable } from '../../../src/inspection/find-executable';
import { activated, Cleanup, DEBUG_TYPE, Messages, workspaceFile, workspaceFolder } from './helpers';
import { ResolutionProbe } from './resolutionProbe';

const launch = (fields: Record<string, unknown>): vscode.DebugConfiguration =>
  ({ type: DEBUG_TYPE, request: 'launch', name: 'exthost: configuration', ...fields });

suite('configuration providers', () => {
  const cleanup = new Cleanup();
  let probe: ResolutionProbe;
  let messages: Messages;

  suiteSetup(async () => {
    await activated();
    probe = cleanup.add(new ResolutionProbe(DEBUG_TYPE));
  });
  suiteTeardown(() => cleanup.dispose());

  // Each test sees only its own message boxes.
  let perTest: Cleanup;
  setup(() => {
    perTest = new Cleanup();
    messages = perTest.add(new Messages());
  });
  teardown(() => perTest.dispose());

  test('a Node program gets its runtime, cwd and the thresholds from the settings', async () => {
    const { resolved } = await probe.resolve(launch({ program: '${workspaceFolder}/flagged.js' }));
    assert.ok(resolved, `refused: ${JSON.stringify(messages.shown)}`);
    assert.equal(resolved.program, workspaceFile('flagged.js').fsPath);
    assert.equal(resolved.runtime, 'node');
    assert.equal(resolved.cwd, workspaceFolder().uri.fsPath);
    assert.equal(resolved.blockThresholdMs, 100);
    assert.equal(resolved.maxFinishedTasks, 5000);
    assert.equal(resolved.traceChildProcesses, true, 'child processes traced by default');
    assert.deepEqual(messages.shown, []);
  });

  test('a Python program runs with the asyncInspector.python interpreter; the configuration wins over the settings', async () => {
    const python = findExecutable('python3', process.env, process.cwd());
    assert.ok(python, 'python3 on PATH');
    const settings = vscode.workspace.getConfiguration('asyncInspector');
    await settings.update('python', python, vscode.ConfigurationTarget.Workspace);
    await settings.update('blockThresholdMs', 250, vscode.ConfigurationTarget.Workspace);
    await settings.update('traceChildProcesses', false, vscode.ConfigurationTarget.Workspace);
    try {
      const fromSettings = (await probe.resolve(launch({ program: '${workspaceFolder}/flagged.py' }))).resolved;
      assert.ok(fromSettings, `refused: ${JSON.stringify(messages.shown)}`);
      assert.equal(fromSettings.runtime, 'python');
      assert.equal(fromSettings.runtimeExecutable, python);
      assert.equal(fromSettings.blockThresholdMs, 250);
      assert.equal(fromSettings.traceChildProcesses, false);

      const explicit = (await probe.resolve(
        launch({ program: '${workspaceFolder}/flagged.py', runtimeExecutable: 'python3', blockThresholdMs: 40, traceChildProcesses: true }),
      )).resolved;
      assert.ok(explicit);
      assert.equal(explicit.runtimeExecutable, 'python3');
      assert.equal(explicit.blockThresholdMs, 40);
      assert.equal(explicit.traceChildProcesses, true);
    } finally {
      await settings.update('python', undefined, vscode.ConfigurationTarget.Workspace);
      await settings.update('blockThresholdMs', undefined, vscode.ConfigurationTarget.Workspace);
      await settings.update('traceChildProcesses', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('a program whose runtime cannot be told needs "runtime"; with it, it resolves', async () => {
    const refused = await probe.resolve(launch({ program: '${workspaceFolder}/tool' }));
    assert.equal(refused.resolved, undefined);
    assert.equal(refused.started, false);
    await messages.next('error', /^Async Inspector: Cannot tell whether .*tool is a Node\.js or a Python program: set "runtime"/);

    const { resolved } = await probe.resolve(launch({ program: '${workspaceFolder}/tool', runtime: 'node' }));
    assert.equal(resolved?.runtime, 'node');
  });

  const refusals: Array<[string, Record<string, unknown>, RegExp]> = [
    ['no program', {}, /has no "program": set it to the \.js or \.py file/],
    ['a missing program', { program: '${workspaceFolder}/missing.js' }, /program not found: .*missing\.js$/],
    ['an unknown runtime', { program: '${workspaceFolder}/flagged.js', runtime: 'ruby' }, /"runtime" must be "node" or "python" \(got "ruby"\)/],
    ['a threshold that is not a number', { program: '${workspaceFolder}/flagged.js', blockThresholdMs: 'fast' }, /"blockThresholdMs" must be a number/],
    ['a missing cwd', { program: '${workspaceFolder}/flagged.js', cwd: '${workspaceFolder}/nowhere' }, /cwd not found: .*nowhere$/],
    ['an interpreter that is not there', { program: '${workspaceFolder}/flagged.py', runtimeExecutable: 'python-none' }, /runtime not found: python-none/],
  ];
  for (const [what, fields, pattern] of refusals) {
    test(`${what} is refused with a clear message and no session`, async () => {
        const { started, resolved } = await probe.resolve(launch(fields));
      assert.equal(started, false);
      assert.equal(resolved, undefined, 'the launch went past the extension');
      const text = await messages.next('error', pattern);
      assert.match(text, /^Async Inspector: /);
    });
  }

  test('the "Run and Debug" dropdown offers the current file, which resolves to the file in the editor', async () => {
    const { dynamicConfigurations } = await activated();
    const offered = await dynamicConfigurations.provideDebugConfigurations?.(workspaceFolder());
    assert.ok(offered && offered.length === 1, `offered: ${JSON.stringify(offered)}`);
    assert.deepEqual({ type: offered[0].type, request: offered[0].request, program: offered[0].program },
      { type: DEBUG_TYPE, request: 'launch', program: '${file}' });

    await vscode.window.showTextDocument(workspaceFile('flagged.py'));
    const { resolved } = await probe.resolve(offered[0]);
    assert.ok(resolved, `refused: ${JSON.stringify(messages.shown)}`);
    assert.equal(resolved.program, workspaceFile('flagged.py').fsPath);
    assert.equal(resolved.runtime, 'python');
  });

  test('Trace Current File launches the file in the editor', async () => {
    await vscode.window.showTextDocument(workspaceFile('flagged.js'));
    const { resolved } = await probe.during(() => vscode.commands.executeCommand('asyncInspector.traceCurrentFile'));
    assert.ok(resolved, `nothing launched: ${JSON.stringify(messages.shown)}`);
    assert.equal(resolved.program, workspaceFile('flagged.js').fsPath);
    assert.equal(resolved.runtime, 'node');
    assert.equal(resolved.cwd, workspaceFolder().uri.fsPath);
  });

  test('Trace Current File on a file that is not a program says what to open, and launches nothing', async () => {
    await vscode.window.showTextDocument(workspaceFile('tool'));
    const { resolved } = await probe.during(() => vscode.commands.executeCommand('asyncInspector.traceCurrentFile'));
    assert.equal(resolved, undefined);
    await messages.next('error', /^Async Inspector: open a JavaScript, TypeScript or Python file to trace it/);
  });
});
