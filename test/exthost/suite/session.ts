/**
 * A real session, as F5 runs it: the fixture program traced by the extension's debug adapter, its planted
 * flag in the Problems panel at the marked line (Node and Python) and hidden by the flag-kind setting;
 * then the session commands on what it recorded: Save Session and Export Chrome Trace write valid files,
 * Open Session shows a saved one again, and Open Session of a file that is not a report says why instead
 * of hanging.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import {
  activated, DEBUG_TYPE, lineOf, nextEvent, saveAs, sessionSuite, waitFor, workspaceFile, workspaceFolder,
} from './helpers';

/** A traced fixture runs well under a second; this bound holds on a loaded 2-core machine. */
const SESSION_MS = 45_000;
const MARKER = 'expect: never-awaited';

suite('a real session', () => {
  const fixture = sessionSuite();

  async function traceToEnd(program: string): Promise<void> {
    const name = `exthost: ${program}`;
    const ended = nextEvent(vscode.debug.onDidTerminateDebugSession, (s) => s.name === name,
      () => `${name} to end; sessions: ${fixture.sessions}`, SESSION_MS);
    ended.catch(() => undefined); // awaited below, unless the session never started
    const started = await vscode.debug.startDebugging(workspaceFolder(), {
      type: DEBUG_TYPE, request: 'launch', name, program: `\${workspaceFolder}/${program}`,
    });
    assert.ok(started, `${name} did not start; messages: ${JSON.stringify(fixture.messages.shown)}`);
    await ended;
  }

  function flagInProblems(program: string, timeoutMs = 15_000): Promise<vscode.Diagnostic> {
    const uri = workspaceFile(program);
    const line = lineOf(uri, MARKER);
    const diagnostics = () => vscode.languages.getDiagnostics(uri);
    return waitFor(
      () => `never-awaited in Problems at ${program}:${line}; have ${JSON.stringify(diagnostics().map((d) => [d.code, d.range.start.line + 1, d.message]))}`,
      () => diagnostics().find((d) => d.code === 'never-awaited' && d.range.start.line === line - 1),
      timeoutMs,
    );
  }

  test('a Node session puts its never-awaited flag in Problems at the marked line', async () => {
    await traceToEnd('flagged.js');
    const d = await flagInProblems('flagged.js');
    assert.equal(d.source, 'Async Inspector');
    assert.match(d.message, /\S/);
  }).timeout(SESSION_MS + 20_000);

  test('the Async Tasks view lists the session\'s tasks, the floating saveAudit among them', async () => {
    const { asyncTasks } = await activated();
    const label = (item: vscode.TreeItem) => (typeof item.label === 'string' ? item.label : item.label?.label ?? '');
    const taskLabels = async () => {
      const labels: string[] = [];
      for (const group of (await asyncTasks.getChildren()) ?? []) {
        for (const task of (await asyncTasks.getChildren(group)) ?? []) labels.push(label(await asyncTasks.getTreeItem(task)));
      }
      return labels;
    };
    let last: string[] = [];
    await waitFor(() => `saveAudit in the Async Tasks view; have ${JSON.stringify(last)}`, async () => {
      last = await taskLabels();
      return last.some((l) => l.includes('saveAudit')) ? true : undefined;
    }, 5000);
  });

  let saved: vscode.Uri | undefined;

  test('Save Session writes the session report', async () => {
    const target = vscode.Uri.file(join(fixture.files, 'saved.session.json'));
    const { returned, asked } = await saveAs('asyncInspector.saveSession', target);
    assert.equal((returned as vscode.Uri | undefined)?.fsPath, target.fsPath);
    assert.match(asked[0]?.defaultUri?.path ?? '', /\/flagged\.session\.json$/);
    const report = JSON.parse(readFileSync(target.fsPath, 'utf8'));
    assert.equal(report.schema, 1);
    assert.equal(report.runtime, 'node');
    assert.ok(report.command.some((a: string) => a.endsWith('flagged.js')), `command: ${report.command}`);
    assert.equal(report.exitCode, 0);
    assert.ok(report.tasks.length > 0, 'no tasks in the report');
    const line = lineOf(workspaceFile('flagged.js'), MARKER);
    assert.ok(report.flags.some((f: { kind: string; location: { line: number } | null }) => f.kind === 'never-awaited' && f.location?.line === line),
      `flags: ${JSON.stringify(report.flags)}`);
    saved = target;
  });

  test('Export Chrome Trace writes trace events', async () => {
    const target = vscode.Uri.file(join(fixture.files, 'flagged.trace.json'));
    await saveAs('asyncInspector.exportTrace', target);
    const trace = JSON.parse(readFileSync(target.fsPath, 'utf8'));
    assert.equal(trace.displayTimeUnit, 'ms');
    assert.ok(Array.isArray(trace.traceEvents) && trace.traceEvents.length > 0, 'no trace events');
    for (const e of trace.traceEvents) {
      assert.ok(typeof e.name === 'string' && ['b', 'e', 'X', 'i', 'M'].includes(e.ph) && Number.isInteger(e.pid) && Number.isInteger(e.tid),
        `not a trace event: ${JSON.stringify(e)}`);
    }
    assert.ok(trace.traceEvents.some((e: { name: string }) => e.name.includes('saveAudit')), 'the fixture\'s saveAudit task is not in the trace');
    await fixture.messages.next('information', /trace written to flagged\.trace\.json/);
  });

  test('Open Session shows a saved session again, its flag back in Problems', async () => {
    assert.ok(saved, 'Save Session did not run');
    await vscode.commands.executeCommand('asyncInspector.clear');
    const ours = () => vscode.languages.getDiagnostics(workspaceFile('flagged.js')).filter((d) => d.source === 'Async Inspector');
    await waitFor(() => `Clear to remove our Problems entries; have ${JSON.stringify(ours())}`, () => (ours().length === 0 ? true : undefined));
    const opened = await vscode.commands.executeCommand<boolean>('asyncInspector.openSession', saved);
    assert.equal(opened, true, `messages: ${JSON.stringify(fixture.messages.shown)}`);
    await flagInProblems('flagged.js', 5000);
  });

  const badFiles: Array<[string, string, RegExp]> = [
    ['not JSON', 'tasks: [', /cannot open bad\.json: not JSON/],
    ['another JSON document', '{"schema": 2, "tasks": []}', /cannot open bad\.json: not an Async Inspector report/],
  ];
  for (const [what, content, pattern] of badFiles) {
    test(`Open Session of ${what} says why in an error message`, async () => {
      const bad = join(fixture.files, 'bad.json');
      writeFileSync(bad, content);
      const opened = await vscode.commands.executeCommand<boolean>('asyncInspector.openSession', vscode.Uri.file(bad));
      assert.equal(opened, false);
      await fixture.messages.next('error', pattern);
    }).timeout(10_000);
  }

  test('a Python session puts its never-awaited flag in Problems at the marked line', async () => {
    await traceToEnd('flagged.py');
    const d = await flagInProblems('flagged.py');
    assert.equal(d.source, 'Async Inspector');
  }).timeout(SESSION_MS + 20_000);

  test('a flag kind turned off in asyncInspector.flags.disabled leaves Problems, and comes back when turned on', async () => {
    const settings = vscode.workspace.getConfiguration('asyncInspector');
    const shown = () => vscode.languages.getDiagnostics(workspaceFile('flagged.py')).filter((d) => d.code === 'never-awaited');
    await settings.update('flags.disabled', ['never-awaited'], vscode.ConfigurationTarget.Workspace);
    try {
      await waitFor(() => `never-awaited to leave Problems; have ${shown().length}`, () => (shown().length === 0 ? true : undefined));
    } finally {
      await settings.update('flags.disabled', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await flagInProblems('flagged.py', 5000);
  });
});
