/**
 * Breakpoints and the Async Inspector together, in real VS Code (code-server bundles ms-vscode.js-debug):
 * a Node workspace whose `node` launch configuration says `"asyncInspector": true`, a breakpoint set in the
 * editor inside `checkout` while three other tasks are pending. F5 stops there with js-debug's frames in
 * CALL STACK; the Async Inspector panel shows the pending tasks with their await lines and marks the paused
 * one, its header says where the program is paused; the Async Tasks view in Run and Debug lists them, the
 * paused one first; Continue lets the program end and the panel shows the final states.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CodeServer } from './harness/codeServer';
import { screenshot, showingFailure } from './harness/screenshots';
import { readSessionStatus, rowsNamed, waitForRows, TASK_TREE } from './harness/taskTree';
import { findTools, skipReasonOrThrow } from './harness/tools';
import { startVsCode } from './harness/startVsCode';
import type { Workbench } from './harness/workbench';

const root = join(__dirname, '..', '..');
const lookup = findTools();
const skip = skipReasonOrThrow(lookup);
const workspaces = mkdtempSync(join(tmpdir(), 'async-inspector-e2e-debug-'));
const folder = join(workspaces, 'workspace debug'); // a workspace path with a space
cpSync(join(__dirname, 'workspace-debug'), folder, { recursive: true });
/** The line of app.js with the breakpoint, and the three tasks' await lines. */
const BREAKPOINT_LINE = 20;
const AWAIT_LINES = { fetchUser: 6, loadCart: 10, sendMail: 14 } as const;

describe('debugging with breakpoints and the Async Inspector (js-debug)', { skip }, () => {
  let server: CodeServer | undefined;
  let wb: Workbench | undefined;

  before(async () => {
    if (lookup.ok) ({ server, wb } = await startVsCode(root, lookup.tools));
  }, { timeout: 150_000 });

  after(async () => {
    await wb?.close();
    await server?.stop();
    rmSync(workspaces, { recursive: true, force: true });
  });

  test('a node configuration marked asyncInspector stops at a breakpoint with the tasks as of the stop', { timeout: 120_000 }, () => showingFailure(wb, 'debug-node', async () => {
    assert.ok(server && wb);
    const page = wb.page;
    await wb.openFolder(server.url, folder);
    await wb.openFile('app.js');
    await wb.setBreakpoint(BREAKPOINT_LINE);
    await wb.showViewContainer('Async Inspector');
    await wb.setSideBarWidth(560);
    await wb.findFrame('[data-testid="session-header"]');
    await wb.startDebugging();

    // js-debug stops at the breakpoint: CALL STACK (Run and Debug) shows its frames.
    await wb.showViewContainer('Run and Debug');
    await wb.waitForCallStack('checkout', 30_000);

    await screenshot(wb, 'debug-stopped');
    await assertStopped(wb, BREAKPOINT_LINE);
    // Step over: a new stop, the panel follows it and marks the task whose code is paused.
    await stepOver(wb, BREAKPOINT_LINE + 1);
    await assertPausedTask(wb);

    // The Async Tasks view lists the tasks, the paused one first.
    await wb.showViewContainer('Run and Debug');
    const asyncTasks = page.locator('.pane:has(.pane-header[aria-label^="Async Tasks"])');
    const header = asyncTasks.locator('.pane-header');
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
    const firstTask = asyncTasks.locator('.monaco-list-row[aria-level="2"]').first();
    await wb.until('Async Tasks to list the paused task first', async () => (/checkout.*paused/.test((await firstTask.textContent()) ?? '') ? true : undefined), 20_000);
    const tasksText = (await asyncTasks.locator('.monaco-list-rows').textContent()) ?? '';
    for (const name of ['main', 'fetchUser', 'loadCart']) assert.ok(tasksText.includes(name), `${name} listed: ${tasksText}`);
    await screenshot(wb, 'debug-async-tasks');
    await wb.showViewContainer('Async Inspector');
    await screenshot(wb, 'debug-paused', 'debug-paused-light.png');
    if (process.env.E2E_SCREENSHOTS === 'docs') {
      await pickTheme(wb, 'Dark Modern', 'dark');
      await screenshot(wb, 'debug-paused-dark', 'debug-paused-dark.png');
      await pickTheme(wb, 'Light Modern', 'light');
    }

    // The agent is there: no "did not load" in the Debug Console (js-debug's bootloader holds the program before
    // the agent's --require runs, and the writer thread while it is stopped: neither may be taken for an absent agent).
    const console = (await page.locator('.repl').first().textContent()) ?? '';
    assert.ok(/charging 42/.test(console), `the Debug Console shows the program's output: ${console}`);
    assert.doesNotMatch(console, /did not load/);

    await continueToEnd(wb);
    await screenshot(wb, 'debug-ended');
  }));

  test('F5 on an async-inspector configuration debugs through a js-debug child session', { timeout: 120_000 }, () => showingFailure(wb, 'debug-own-type', async () => {
    assert.ok(wb);
    const page = wb.page;
    // The breakpoint set by the previous test is still there; pick our own configuration and press F5.
    await wb.showViewContainer('Async Inspector');
    await wb.runCommand('Debug: Select and Start Debugging');
    // The configurations picker replaces the command palette: wait for it before typing.
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Debug app (Node' }).first().waitFor({ timeout: 15_000 });
    await page.locator('.quick-input-widget input').fill('debug Async Inspector: app'); // the picker's own prefix stays
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Async Inspector: app' }).first().click();
    await page.locator('.debug-toolbar').waitFor({ timeout: 20_000 });
    await wb.showViewContainer('Run and Debug');
    await wb.waitForCallStack('checkout', 30_000);
    await assertStopped(wb, BREAKPOINT_LINE);
    await stepOver(wb, BREAKPOINT_LINE + 1);
    await assertPausedTask(wb);
    await continueToEnd(wb);
  }));
});

/** The Async Inspector panel at a stop on `line`: the three tasks pending at their await lines, "Paused at app.js:line". */
async function assertStopped(wb: Workbench, line: number): Promise<void> {
  await wb.showViewContainer('Async Inspector');
  // All three, also under a js-debug child session, where the Node agent's capture budget may be spent when
  // main() starts them: the storm mode's scouts still record the program's async functions (storm-scouts.ts).
  await waitForRows(wb, 'the three tasks pending at their await lines', (rows) =>
    Object.entries(AWAIT_LINES).every(([name, at]) => rowsNamed(rows, name)[0]?.state === 'pending' && rowsNamed(rows, name)[0]?.text.includes(`app.js:${at}`))
    && rowsNamed(rows, 'checkout').length > 0);
  await wb.until(`the header to say "Paused at app.js:${line}"`, async () => {
    const s = await readSessionStatus(wb);
    return s.text === `Paused at app.js:${line}` ? s : undefined;
  });
}

/** The task whose code is paused (checkout) is marked in the panel. */
async function assertPausedTask(wb: Workbench): Promise<void> {
  const rows = await waitForRows(wb, 'checkout listed', (rows) => rowsNamed(rows, 'checkout').length > 0);
  const pausedRow = await wb.until('the paused task to be marked', async () => {
    const frame = await wb.findFrame(TASK_TREE, 2000);
    return (await frame.$eval(`${TASK_TREE} [data-paused="true"]`, (el) => el.getAttribute('data-task-id')).catch(() => null)) ?? undefined;
  });
  assert.equal(pausedRow, rowsNamed(rows, 'checkout')[0].id, 'the paused task is checkout');
}

/** Step Over on the debug toolbar: js-debug steps, and the program stops on `line`. */
async function stepOver(wb: Workbench, line: number): Promise<void> {
  await wb.page.locator('.debug-toolbar .codicon-debug-step-over').click();
  await wb.until(`the panel to follow the step to line ${line}`, async () => {
    const s = await readSessionStatus(wb);
    return s.text === `Paused at app.js:${line}` ? s : undefined;
  });
}

/** Continue: the program ends, the panel shows the final states. */
async function continueToEnd(wb: Workbench): Promise<void> {
  const page = wb.page;
  await page.locator('.debug-toolbar .codicon-debug-continue').click();
  await page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: 30_000 });
  const ended = await waitForRows(wb, 'every task done after Continue', (rows) =>
    ['checkout', 'fetchUser', 'loadCart', 'sendMail', 'main'].every((n) => rowsNamed(rows, n)[0]?.state === 'done'));
  assert.ok(ended.length >= 5);
  await wb.until('the panel to say the program ended', async () => {
    const s = await readSessionStatus(wb);
    return s.status === 'ended' ? s : undefined;
  }, 15_000);
}

/**
 * Picks a colour theme through the Command Palette. Workbench.setColorTheme focuses the editor by clicking
 * its top-left corner, which the floating debug toolbar covers while a session runs: the side bar's title
 * takes the focus instead.
 */
async function pickTheme(wb: Workbench, theme: string, kind: 'light' | 'dark'): Promise<void> {
  const page = wb.page;
  await page.locator('.part.sidebar .composite.title').click();
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').fill('>Preferences: Color Theme');
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Preferences: Color Theme' }).first().click();
  await page.locator('.quick-input-widget input[placeholder*="Color Theme"]').fill(theme);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: theme }).first().click();
  await page.locator(`.monaco-workbench.${kind === 'light' ? 'vs' : 'vs-dark'}`).waitFor({ timeout: 10_000 });
  await page.waitForTimeout(500); // the webview picks the theme up on its next frame
}

