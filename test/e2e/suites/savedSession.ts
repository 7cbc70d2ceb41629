/**
 * Saved sessions in real VS Code (registered inside panel.test.ts's suite, to share its code-server):
 * a report recorded by the CLI is reopened with "Async Inspector: Open Session…" while nothing runs, a
 * row opens the editor at the task's creation line, the timeline shows the tasks' bars and a click on
 * a lane selects that task. The README's screenshots of the tree (with its flag) and of the timeline
 * are taken here in the dark and the light theme.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { promisify } from 'node:util';
import { assertRowOpens, has, lineOf } from '../harness/assertions';
import type { CodeServer } from '../harness/codeServer';
import { screenshot, showingFailure } from '../harness/screenshots';
import { readSessionStatus, rowsNamed, TASK_TREE, waitForRows } from '../harness/taskTree';
import { clickLane, readTimeline, selectedTaskTitle, showPane, type TimelineState } from '../harness/timeline';
import type { Workbench } from '../harness/workbench';

/** A README screenshot: taken once the status bar has settled and with the mouse parked out of the way. */
async function docsScreenshot(wb: Workbench, name: string, docsName: string): Promise<void> {
  await wb.moveMouseAway();
  await wb.settle();
  await screenshot(wb, name, docsName);
}

export interface SuiteContext {
  /** The checkout (its dist/ holds the CLI once the VSIX is built). */
  root: string;
  /** A temporary folder for this run's workspaces. */
  workspaces: string;
  server(): CodeServer | undefined;
  wb(): Workbench | undefined;
}

/** The Modern themes by their labels in current VS Code (older versions said "Default Dark Modern"). */
const DARK = 'Dark Modern';
const LIGHT = 'Light Modern';

export function savedSessionTests(ctx: SuiteContext): void {
  const folder = join(ctx.workspaces, 'workspace-session');
  const app = join(folder, 'app.js');
  const report = join(folder, 'app.session.json');
  let recorded: Promise<unknown> | undefined;
  /** How many tasks the tree listed for the saved session: the timeline has a lane for each. */
  let savedTasks = 0;

  // Runs after the suite's own before (which builds dist/): the CLI records the fixture while the other tests run.
  before(() => {
    cpSync(join(__dirname, '..', 'workspace-node'), folder, { recursive: true });
    recorded = promisify(execFile)(process.execPath, [join(ctx.root, 'dist', 'cli.js'), 'run', '--json', report, '--', 'node', app],
      { cwd: folder, timeout: 30_000 });
    recorded.catch(() => undefined); // awaited (and reported) by the test
  });

  const need = (): { server: CodeServer; wb: Workbench } => {
    const server = ctx.server();
    const wb = ctx.wb();
    assert.ok(server && wb);
    return { server, wb };
  };

  /** Picks the theme; the webview's body wears it too (vscode-dark / vscode-light) and its canvas redraws. */
  async function switchTheme(wb: Workbench, theme: string, kind: 'dark' | 'light'): Promise<void> {
    await wb.setColorTheme(theme, kind);
    const frame = await wb.until(`the panel in the ${kind} theme`, async () => {
      const frame = await wb.findFrame(TASK_TREE, 2000);
      return (await frame.evaluate((k) => document.body.classList.contains(`vscode-${k}`), kind)) ? frame : undefined;
    }, 20_000);
    // The canvas redraws with the new colours on the next frame: wait for two (a hidden frame gets none: 2 s).
    await frame.evaluate(() => new Promise((r) => {
      requestAnimationFrame(() => requestAnimationFrame(r));
      setTimeout(r, 2000);
    }));
  }

  test('Open Session… shows a saved report while nothing runs; a row opens its creation line', { timeout: 60_000 }, () => showingFailure(ctx.wb(), 'session-open', async () => {
    const { server, wb } = need();
    await recorded;
    server.updateSettings({ 'workbench.colorTheme': DARK });
    await wb.openFolder(server.url, folder);
    await wb.showViewContainer('Async Inspector');
    await wb.setSideBarWidth(560);
    await wb.findFrame('[data-testid="session-header"]');
    assert.equal((await readSessionStatus(wb)).status, 'idle', 'a fresh window shows no session');

    await wb.runCommand('Async Inspector: Open Session…');
    await wb.answerFileDialog(report);
    const rows = await waitForRows(wb, 'the saved tasks, all done', (r) =>
      ['main', 'loadConfig', 'waitForApproval'].every((n) => has(r, n, 'done')) && has(r, 'fetchUser', 'done', 3));
    assert.deepEqual(rows.filter((r) => r.state === 'pending').map((r) => r.name), [], 'nothing pending in the saved run');
    savedTasks = new Set(rows.map((r) => r.id)).size;
    const status = await readSessionStatus(wb);
    assert.equal(status.status, 'ended', `the panel shows the saved run as ended: ${status.text}`);
    assert.match(status.text, /exit code 0/, 'with the exit code the program had');
    assert.equal(await wb.page.locator('.debug-toolbar').count(), 0, 'no debug session runs');

    const frame = await wb.findFrame(TASK_TREE);
    const flags = await frame.locator('[data-testid="flag-row"]').allTextContents();
    assert.ok(flags.some((f) => /block/i.test(f)), `the saved blocking-call flag is listed: ${JSON.stringify(flags)}`);

    await assertRowOpens(wb, rowsNamed(rows, 'waitForApproval')[0], app, lineOf(app, 'await waitForApproval()'));
    await docsScreenshot(wb, 'session-tree-dark', 'panel-dark.png');
  }));

  test('the timeline shows the saved tasks as bars; clicking a lane selects its task', { timeout: 40_000 }, () => showingFailure(ctx.wb(), 'session-timeline', async () => {
    const { wb } = need();
    assert.ok(savedTasks > 0, 'the saved session was opened');
    const frame = await showPane(wb, 'timeline');
    let seen: TimelineState | undefined;
    const drawn = await wb.until('the timeline drawn with a lane per task', async () => {
      seen = await readTimeline(frame);
      return seen.visible && seen.lanes === savedTasks && seen.laneTexts.length === savedTasks && seen.paintedPixels > 0 ? seen : undefined;
    }, 10_000).catch((e: Error) => {
      throw new Error(`${e.message}; timeline seen: ${JSON.stringify(seen)}`);
    });
    assert.ok(drawn.laneTexts.some((t) => t.startsWith('waitForApproval: done')), `lanes: ${drawn.laneTexts.join(' | ')}`);
    assert.equal(drawn.laneTexts.filter((t) => t.startsWith('fetchUser: done')).length, 3, 'a lane per fetchUser call');

    const index = drawn.laneTexts.findIndex((t) => t.startsWith('loadConfig:'));
    await clickLane(frame, index);
    await wb.until('loadConfig selected', async () => ((await selectedTaskTitle(frame)) === 'loadConfig' ? true : undefined), 5000)
      .catch(async (e: Error) => {
        throw new Error(`${e.message}; details title: ${await selectedTaskTitle(frame)}`);
      });
    await docsScreenshot(wb, 'session-timeline-dark', 'timeline-dark.png');
  }));

  test('light theme: the timeline and the tree (the lane clicked there is the selected row)', { timeout: 40_000 }, () => showingFailure(ctx.wb(), 'session-light', async () => {
    const { wb } = need();
    await switchTheme(wb, LIGHT, 'light');
    const drawn = await readTimeline(await wb.findFrame(TASK_TREE));
    assert.ok(drawn.visible && drawn.paintedPixels > 0, 'the timeline is still drawn after the theme change');
    await docsScreenshot(wb, 'session-timeline-light', 'timeline-light.png');

    const frame = await showPane(wb, 'tree');
    const selected = await frame.$$eval(`${TASK_TREE} [data-task-id][aria-selected="true"] .name`, (els) => els.map((e) => e.textContent));
    assert.deepEqual(selected, ['loadConfig'], 'the tree selects the task picked on the timeline');
    await docsScreenshot(wb, 'session-tree-light', 'panel-light.png');
  }));

  test('Export Chrome Trace writes the trace and says so in the status bar, as Save Session does', { timeout: 40_000 }, () => showingFailure(ctx.wb(), 'session-export', async () => {
    const { wb } = need();
    const target = join(folder, 'app.trace.json');
    await wb.runCommand('Async Inspector: Export Chrome Trace');
    await wb.answerFileDialog(target);
    await wb.until('the export confirmed in the status bar', async () => {
      const text = await wb.page.locator('.part.statusbar').textContent();
      return text?.includes('Chrome trace exported to app.trace.json') ? true : undefined;
    }, 10_000);
    const trace = JSON.parse(readFileSync(target, 'utf8')) as { traceEvents?: unknown[] };
    assert.ok(Array.isArray(trace.traceEvents) && trace.traceEvents.length > 0, 'the trace has events');
  }));
}
