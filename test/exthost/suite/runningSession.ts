/**
 * A session whose program still runs: Save Session writes what the view holds so far (the fixture's
 * pending task, marked as saved while running), and stopping the session ends it and kills the program.
 * Observed through commands and files only, not through how the extension gets its events.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import { DEBUG_TYPE, nextEvent, saveAs, sessionSuite, waitFor, workspaceFile, workspaceFolder } from './helpers';

const TASK = 'waitForApproval';

type SavedReport = { exitCode: number | null; agentErrors: string[]; tasks: Array<{ name: string; state: string }> };

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
    const pidFile = workspaceFile('waiting.pid').fsPath;
    rmSync(pidFile, { force: true });
    const started = nextEvent(vscode.debug.onDidStartDebugSession, (s) => s.type === DEBUG_TYPE && s.name === name,
      () => `${name} to start; sessions: ${fixture.sessions}`, 30_000);
    started.catch(() => undefined);
    assert.ok(await vscode.debug.startDebugging(workspaceFolder(), {
      type: DEBUG_TYPE, request: 'launch', name, program: '${workspaceFolder}/waiting.js',
    }), `did not start: ${JSON.stringify(fixture.messages.shown)}`);
    const session = await started;
    const pid = await waitFor(() => `waiting.js to write its pid; sessions: ${fixture.sessions}`,
      () => (existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) || undefined : undefined), 30_000);

    // Saved as soon as the view holds the pending task.
    const target = vscode.Uri.file(join(fixture.files, 'running.session.json'));
    let last: SavedReport | undefined;
    const report = await waitFor(() => `a saved report with ${TASK} pending; last: ${JSON.stringify(last?.tasks)}; sessions: ${fixture.sessions}`, async () => {
      rmSync(target.fsPath, { force: true });
      await saveAs('asyncInspector.saveSession', target);
      last = existsSync(target.fsPath) ? (JSON.parse(readFileSync(target.fsPath, 'utf8')) as SavedReport) : undefined;
      return last?.tasks.some((t) => t.name.includes(TASK) && t.state === 'pending') ? last : undefined;
    }, 30_000);
    assert.equal(report.exitCode, null);
    assert.deepEqual(report.agentErrors, ['saved while the program was still running']);

    const ended = nextEvent(vscode.debug.onDidTerminateDebugSession, (s) => s.id === session.id,
      () => `${name} to end after Stop; sessions: ${fixture.sessions}`, 15_000);
    assert.ok(alive(pid), `the program (pid ${pid}) is gone before Stop`);
    await vscode.debug.stopDebugging(session);
    await ended;
    await waitFor(`the program (pid ${pid}) to be gone`, () => (alive(pid) ? undefined : true), 10_000);
  }).timeout(90_000);
});
