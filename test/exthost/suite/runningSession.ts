/**
 * A session whose program still runs: the adapter's custom events reach the extension (the agent's hello,
 * deltas naming the fixture's pending task), Save Session writes what the view holds so far (marked as
 * saved while running), and stopping the session ends it and kills the program.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import { unpackDelta } from '../../../src/model/delta-sites';
import { DEBUG_TYPE, nextEvent, saveAs, sessionSuite, waitFor, workspaceFolder } from './helpers';

const TASK = 'waitForApproval';

function namesTask(body: unknown, name: string): boolean {
  const delta = unpackDelta(body) as { upserts?: Array<{ name?: unknown }> } | undefined;
  return !!delta?.upserts?.some((t) => typeof t.name === 'string' && t.name.includes(name));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

suite('a running session', () => {
  const fixture = sessionSuite();

  test('is saved while it runs, and stopping it kills the program', async () => {
    const name = 'exthost: waiting.js';
    const custom = vscode.debug.onDidReceiveDebugSessionCustomEvent;
    const hello = nextEvent(custom, (e) => e.session.name === name && e.event === 'asyncInspector/session',
      () => `the agent's hello; sessions: ${fixture.sessions}`, 30_000);
    const task = nextEvent(custom, (e) => e.session.name === name && e.event === 'asyncInspector/delta' && namesTask(e.body, TASK),
      `a delta naming ${TASK}`, 30_000);
    hello.catch(() => undefined);
    task.catch(() => undefined);
    assert.ok(await vscode.debug.startDebugging(workspaceFolder(), {
      type: DEBUG_TYPE, request: 'launch', name, program: '${workspaceFolder}/waiting.js',
    }), `did not start: ${JSON.stringify(fixture.messages.shown)}`);
    const pid = ((await hello).body as { pid?: unknown }).pid;
    assert.ok(typeof pid === 'number' && alive(pid), `the hello names no live pid: ${pid}`);
    const session = (await task).session;

    const target = vscode.Uri.file(join(fixture.files, 'running.session.json'));
    await saveAs('asyncInspector.saveSession', target);
    const report = JSON.parse(readFileSync(target.fsPath, 'utf8'));
    assert.equal(report.exitCode, null);
    assert.deepEqual(report.agentErrors, ['saved while the program was still running']);
    const waiting = report.tasks.find((t: { name: string }) => t.name.includes(TASK));
    assert.equal(waiting?.state, 'pending', `tasks: ${JSON.stringify(report.tasks.map((t: { name: string; state: string }) => [t.name, t.state]))}`);

    const ended = nextEvent(vscode.debug.onDidTerminateDebugSession, (s) => s.id === session.id,
      () => `${name} to end after Stop; sessions: ${fixture.sessions}`, 15_000);
    await vscode.debug.stopDebugging(session);
    await ended;
    await waitFor(`the program (pid ${pid}) to be gone`, () => (alive(pid) ? undefined : true), 10_000);
  }).timeout(90_000);
});
