/**
 * Python breakpoints and the Async Inspector together in real VS Code (code-server): Microsoft's Python
 * Debugger extension cannot be installed here, so test/debugpy-extension contributes `debugpy` backed by
 * `python -m debugpy.adapter` (debugpy from PyPI). A workspace whose `debugpy` configuration says
 * `"asyncInspector": true`, a breakpoint set in the editor inside `checkout` while three other tasks wait: F5
 * stops there with debugpy's frames in CALL STACK; the Async Inspector panel shows the waiting tasks with their
 * await lines and marks the paused one, its header says where the program is paused; the Async Tasks view
 * lists them, the paused one first; Continue lets the program end and the panel shows the final states.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CodeServer } from './harness/codeServer';
import { screenshot, showingFailure } from './harness/screenshots';
import { readSessionStatus, rowsNamed, TASK_TREE, waitForRows } from './harness/taskTree';
import { debugpyEnv, testDebugpyVsix } from './harness/testDebugpy';
import { findTools, skipReasonOrThrow } from './harness/tools';
import { buildVsix } from './harness/vsix';
import { Workbench } from './harness/workbench';

const root = join(__dirname, '..', '..');
const lookup = findTools();
const skip = skipReasonOrThrow(lookup);
const workspaces = mkdtempSync(join(tmpdir(), 'async-inspector-e2e-debugpy-'));
const folder = join(workspaces, 'workspace debugpy'); // a workspace path with a space
cpSync(join(__dirname, 'workspace-debugpy'), folder, { recursive: true });
// The program is the DAP test's fixture (test/debug/python-pause-flush.test.ts): three tasks wait, one is paused.
const fixture = join(root, 'test/fixtures/python/debug/paused_task.py');
cpSync(fixture, join(folder, 'app.py'));
const lines = readFileSync(fixture, 'utf8').split('\n');
const lineOf = (marker: string) => lines.findIndex((l) => l.includes(marker)) + 1;
const BREAKPOINT_LINE = lineOf('# BREAKPOINT');
const WAITING = ['fetch_user', 'load_cart', 'send_mail'];

describe('Python breakpoints with debugpy (test stand-in for the Python Debugger)', { skip }, () => {
  let server: CodeServer | undefined;
  let wb: Workbench | undefined;

  before(async () => {
    if (!lookup.ok) return;
    server = await CodeServer.prepare(lookup.tools);
    await server.installExtension(buildVsix(root));
    await server.installExtension(testDebugpyVsix(root));
    await server.start({ env: debugpyEnv(root) });
    wb = await Workbench.launch(lookup.tools.chromium);
  }, { timeout: 180_000 });

  after(async () => {
    await wb?.close();
    await server?.stop();
    rmSync(workspaces, { recursive: true, force: true });
  });

  test('a debugpy configuration marked asyncInspector stops at a breakpoint with the tasks as of the stop', { timeout: 240_000 }, () => showingFailure(wb, 'debugpy', async () => {
    assert.ok(server && wb);
    const page = wb.page;
    await wb.openFolder(server.url, folder);
    await wb.openFile('app.py');
    await wb.setBreakpoint(BREAKPOINT_LINE);
    await wb.showViewContainer('Async Inspector');
    await wb.setSideBarWidth(560);
    await wb.findFrame('[data-testid="session-header"]');
    await wb.startDebugging();

    // debugpy stops at the breakpoint: CALL STACK (Run and Debug) shows its frames.
    await wb.showViewContainer('Run and Debug');
    await wb.waitForCallStack('checkout', 60_000);
    await screenshot(wb, 'debugpy-stopped');

    // The Async Tasks view lists the tasks, the paused one first.
    const asyncTasks = page.locator('.pane:has(.pane-header[aria-label^="Async Tasks"])');
    const header = asyncTasks.locator('.pane-header');
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
    const tasksText = await wb.until('Async Tasks to list the waiting tasks', async () => {
      const text = (await asyncTasks.locator('.monaco-list-rows').textContent().catch(() => '')) ?? '';
      return ['checkout', ...WAITING].every((n) => text.includes(n)) ? text : undefined;
    }, 20_000);
    const firstTask = await asyncTasks.locator('.monaco-list-row[aria-level="2"]').first().textContent();
    assert.match(firstTask ?? '', /checkout.*paused/, `the paused task comes first: ${tasksText}`);
    await screenshot(wb, 'debugpy-async-tasks');

    // The Async Inspector panel: the waiting tasks at their await lines, the paused one marked, "Paused at".
    await wb.showViewContainer('Async Inspector');
    const rows = await waitForRows(wb, 'the three tasks pending at their await lines, checkout and audit there', (rows) =>
      WAITING.every((name) => rowsNamed(rows, name)[0]?.state === 'pending' && rowsNamed(rows, name)[0]?.text.includes(`app.py:${lineOf(`# AWAIT ${name}`)}`))
      && rowsNamed(rows, 'checkout').length > 0 && rowsNamed(rows, 'audit').length > 0);
    const frame = await wb.findFrame(TASK_TREE);
    const pausedRow = await frame.$eval(`${TASK_TREE} [data-paused="true"]`, (el) => el.getAttribute('data-task-id'));
    assert.equal(pausedRow, rowsNamed(rows, 'checkout')[0].id, 'the paused task is marked');
    const status = await readSessionStatus(wb);
    assert.equal(status.text, `Paused at app.py:${BREAKPOINT_LINE}`);
    await screenshot(wb, 'debugpy-paused');

    // Continue: the program ends, the panel shows the final states.
    await page.keyboard.press('F5');
    await page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: 30_000 });
    await waitForRows(wb, 'the final states after Continue', (rows) =>
      ['checkout', 'audit', 'fetch_user', 'load_cart'].every((n) => rowsNamed(rows, n)[0]?.state === 'done')
      && rowsNamed(rows, 'send_mail')[0]?.state === 'cancelled');
    await wb.until('the panel to say the program ended', async () => {
      const s = await readSessionStatus(wb!);
      return s.status === 'ended' ? s : undefined;
    }, 15_000);
    await screenshot(wb, 'debugpy-ended');
  }));
});

