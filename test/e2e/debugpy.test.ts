/**
 * Python breakpoints in real VS Code (code-server): Microsoft's Python Debugger extension cannot be installed
 * here, so test/debugpy-extension contributes `debugpy` backed by `python -m debugpy.adapter` (debugpy from
 * PyPI). A workspace whose `debugpy` configuration says `"asyncInspector": true`, a breakpoint set in the editor
 * inside `checkout` while three other tasks wait: F5 stops there with debugpy's frames in CALL STACK; Continue
 * lets the program end.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CodeServer } from './harness/codeServer';
import { screenshot, showingFailure } from './harness/screenshots';
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
const BREAKPOINT_LINE = readFileSync(fixture, 'utf8').split('\n').findIndex((l) => l.includes('# BREAKPOINT')) + 1;

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

  test('F5 on a debugpy configuration stops at a breakpoint in a coroutine, Continue ends the program', { timeout: 120_000 }, () => showingFailure(wb, 'debugpy', async () => {
    assert.ok(server && wb);
    const page = wb.page;
    await wb.openFolder(server.url, folder);
    await wb.openFile('app.py');
    await setBreakpoint(wb, BREAKPOINT_LINE);
    await wb.showViewContainer('Async Inspector');
    await wb.findFrame('[data-testid="session-header"]');
    await wb.startDebugging();

    await wb.showViewContainer('Run and Debug');
    const callStack = page.locator('.debug-call-stack');
    await wb.until('CALL STACK to show checkout', async () => ((await callStack.textContent())?.includes('checkout') ? true : undefined), 60_000);
    await screenshot(wb, 'debugpy-stopped');

    await page.keyboard.press('F5');
    await page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: 30_000 });
  }));
});

/** Puts a breakpoint on `line` of the active editor as a user does: Ctrl+G, the line, Enter, F9. */
async function setBreakpoint(wb: Workbench, line: number): Promise<void> {
  await wb.press('Control+G');
  await wb.page.keyboard.type(String(line));
  await wb.page.keyboard.press('Enter');
  await wb.page.keyboard.press('F9');
  await wb.until(`a breakpoint on line ${line}`, async () => ((await wb.page.locator('.codicon-debug-breakpoint').count()) > 0 ? true : undefined), 5000);
}
