/**
 * Attach in real VS Code (registered inside panel.test.ts's suite, to share its code-server): a Python server
 * runs on its own; "Async Inspector: Attach to Process…" lists it in the picker with its command line; picking
 * it fills the panel with its parked tasks (found at attach) and the lock deadlock, then follows a new request
 * live; stopping the session detaches — the panel says so and the server still answers.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ask, startServer } from '../../cli/attach-servers';
import { has } from '../harness/assertions';
import type { CodeServer } from '../harness/codeServer';
import { screenshot, showingFailure } from '../harness/screenshots';
import { readSessionStatus, rowsNamed, waitForRows, waitForSessionEnd } from '../harness/taskTree';
import type { Workbench } from '../harness/workbench';

export interface AttachSuiteContext {
  workspaces: string;
  server(): CodeServer | undefined;
  wb(): Workbench | undefined;
}

export function attachTests(ctx: AttachSuiteContext): void {
  let stopServer: (() => void) | undefined;
  after(() => stopServer?.());

  test('Attach to Process: the picker lists the running server; the panel fills, follows it live; stopping detaches', { timeout: 120_000 }, () => showingFailure(ctx.wb(), 'attach', async () => {
    const server = ctx.server();
    const wb = ctx.wb();
    assert.ok(server && wb);
    const srv = await startServer('python3', { PARKED: '12' });
    stopServer = srv.stop;
    const pid = String(srv.child.pid);

    await wb.openFolder(server.url, join(ctx.workspaces, 'workspace-python'));
    await wb.showViewContainer('Async Inspector');
    await wb.findFrame('[data-testid="session-header"]');
    await wb.runCommand('Async Inspector: Attach to Process…');
    // The picker: one row per Node.js / Python process, its command line as the detail.
    const picker = wb.page.locator('.quick-input-widget');
    await picker.locator('.monaco-list-row').first().waitFor({ timeout: 15_000 });
    await picker.locator('input').fill(pid);
    const row = picker.locator('.monaco-list-row').filter({ hasText: 'py_server.py' }).filter({ hasText: pid }).first();
    await row.waitFor({ timeout: 10_000 });
    await screenshot(wb, 'attach-picker');
    await row.click();
    await wb.page.locator('.debug-toolbar').waitFor({ timeout: 30_000 });
    await wb.showViewContainer('Async Inspector');

    const rows = await waitForRows(wb, 'the parked tasks and the deadlocked pair, found at attach',
      (r) => has(r, 'parked', 'pending', 12) && has(r, 'left', 'pending') && has(r, 'right', 'pending'), 40_000);
    assert.match(rowsNamed(rows, 'parked')[0].text, /found at attach/, 'a task from before the attach says so on its row');
    const status = await readSessionStatus(wb);
    assert.match(status.text, new RegExp(`Attached \\(pid ${pid}\\)`));
    // Followed live: a request after the attach is a task of its own.
    assert.match(await ask(srv.port), /^pong/);
    const live = await waitForRows(wb, 'the request after the attach', (r) => has(r, 'handle', 'done'), 20_000);
    assert.doesNotMatch(rowsNamed(live, 'handle')[0].text, /found at attach/);
    await screenshot(wb, 'attach-panel');

    await wb.press('Shift+F5');
    const end = await waitForSessionEnd(wb, 20_000);
    assert.match(end.text, /Detached: the program keeps running/);
    assert.match(await ask(srv.port), /^pong/, 'the server still answers after the detach');
    await screenshot(wb, 'attach-detached');
  }));
}
