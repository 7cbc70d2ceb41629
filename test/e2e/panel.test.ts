/**
 * Real VS Code end to end: the built VSIX installed into code-server (VS Code in the browser), a
 * fixture workspace opened in headless Chromium, F5 on its launch configuration, and the Async
 * Inspector panel checked the way a user reads it: the fixture's tasks in the right states (a pending
 * one while the program runs, done ones after), the exit code, a row click opening the editor at the
 * creation line, the blocking call in the Problems panel, Shift+F5 killing the program.
 * Screenshots go to test-results/ (and, with E2E_SCREENSHOTS=docs, to docs/ for the README).
 * Tools come from scripts/ensure-vscode.sh; without them this is a visible SKIP (a failure under CI).
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CodeServer } from './harness/codeServer';
import { assertBlockingProblem, assertRowOpens, has, lineOf } from './harness/assertions';
import { removeOldScreenshots, screenshot, showingFailure } from './harness/screenshots';
import { readSessionStatus, rowsNamed, waitForRows, waitForSessionEnd } from './harness/taskTree';
import { findTools, skipReasonOrThrow } from './harness/tools';
import { buildVsix } from './harness/vsix';
import { Workbench } from './harness/workbench';
import { savedSessionTests } from './suites/savedSession';
import { attachTests } from './suites/attach';

const root = join(__dirname, '..', '..');
const lookup = findTools();
const skip = skipReasonOrThrow(lookup);
/**
 * The fixture workspaces are copied to a temporary folder: VS Code may write into a workspace (an editor that
 * caught a keystroke, hot exit), and the committed fixtures must stay as they are.
 */
const workspaces = mkdtempSync(join(tmpdir(), 'async-inspector-e2e-ws-'));
for (const name of ['workspace-node', 'workspace-python']) {
  cpSync(join(__dirname, name), join(workspaces, name), { recursive: true });
}
const workspace = (name: string) => join(workspaces, name);

describe('real VS Code (code-server + Chromium)', { skip }, () => {
  let server: CodeServer | undefined;
  let wb: Workbench | undefined;

  before(async () => {
    if (!lookup.ok) return;
    removeOldScreenshots();
    const vsix = buildVsix(root);
    server = await CodeServer.prepare(lookup.tools);
    await server.installExtension(vsix);
    await server.start();
    wb = await Workbench.launch(lookup.tools.chromium);
  }, { timeout: 150_000 });

  after(async () => {
    await wb?.close();
    await server?.stop();
    rmSync(workspaces, { recursive: true, force: true });
  });

  /** Opens a fixture workspace and its program, shows the panel and presses F5 on its launch configuration. */
  async function startDebugging(folder: string, program: string): Promise<Workbench> {
    assert.ok(server && wb);
    await wb.openFolder(server.url, folder);
    await wb.openFile(program);
    await wb.showViewContainer('Async Inspector');
    await wb.setSideBarWidth(520);
    // The panel's header shows once the extension host runs our extension: VS Code is ready for F5.
    await wb.findFrame('[data-testid="session-header"]');
    await wb.startDebugging();
    // F5 may have brought the Run and Debug view forward: the user comes back to the panel.
    await wb.showViewContainer('Async Inspector');
    return wb;
  }

  test('F5 on a Node program shows its tasks live, then done; a row opens its creation line', { timeout: 90_000 }, () => showingFailure(wb, 'node', async () => {
    const folder = workspace('workspace-node');
    const app = join(folder, 'app.js');
    const wb = await startDebugging(folder, 'app.js');

    const running = await waitForRows(wb, 'waitForApproval pending while the program runs',
      (rows) => has(rows, 'waitForApproval', 'pending') && has(rows, 'fetchUser', 'done', 3));
    const main = rowsNamed(running, 'main')[0];
    assert.equal(main?.state, 'pending', 'main awaits waitForApproval, so it is pending too');
    assert.match(main.text, /awaits.*waitForApproval/, 'the main row says what it awaits');
    await screenshot(wb, 'node-running', 'screenshot-node.png');
    // While it runs, the pending task's row leads to where it was started.
    await assertRowOpens(wb, rowsNamed(running, 'waitForApproval')[0], app, lineOf(app, 'await waitForApproval()'));

    const end = await waitForSessionEnd(wb);
    console.log(`Node: the panel showed the end ${end.lagMs} ms after VS Code's session ended`);
    assert.match(end.text, /exit code 0/, 'the panel reports the exit code');
    const finished = await waitForRows(wb, 'every async function done after the program ended',
      (rows) => ['main', 'loadConfig', 'waitForApproval'].every((n) => has(rows, n, 'done')), 20_000);
    assert.ok(has(finished, 'fetchUser', 'done', 3), 'the three fetchUser calls are done');
    assert.ok(has(finished, 'Timeout', 'done'), 'the heartbeat setTimeout shows as a Timeout');
    assert.deepEqual(finished.filter((r) => r.state === 'pending').map((r) => r.name), [], 'nothing left pending');
    await screenshot(wb, 'node-done');

    await assertRowOpens(wb, rowsNamed(finished, 'fetchUser')[0], app, lineOf(app, 'fetchUser(1)'));
    await screenshot(wb, 'node-editor');
  }));

  // Reads what the Node session above left in the Problems panel.
  test('Node: the blocking call shows in the Problems panel; clicking it opens its line', { timeout: 40_000 }, () => showingFailure(wb, 'node-problems', async () => {
    assert.ok(wb);
    await assertBlockingProblem(wb, join(workspace('workspace-node'), 'app.js'), 'function buildReport', 'return spins');
    await screenshot(wb, 'node-problems');
  }));

  test('stopping the session (Shift+F5) kills the program; the panel says so', { timeout: 60_000 }, () => showingFailure(wb, 'node-stop', async () => {
    const folder = workspace('workspace-node');
    const wb = await startDebugging(folder, 'app.js');
    await waitForRows(wb, 'waitForApproval pending', (rows) => has(rows, 'waitForApproval', 'pending'));
    const running = await readSessionStatus(wb);
    const pid = Number(/pid (\d+)/.exec(running.text)?.[1]);
    assert.ok(pid > 0, `the panel shows the program's pid: ${running.text}`);
    await wb.press('Shift+F5');
    const end = await waitForSessionEnd(wb, 10_000);
    assert.match(end.text, /killed by SIG|exit code (?!0\b)/, 'the panel says the program was stopped');
    assert.throws(() => process.kill(pid, 0), 'the program process is gone');
    const rows = await waitForRows(wb, 'the final rows', () => true);
    assert.ok(!has(rows, 'waitForApproval', 'done'), 'the stopped program never finished waitForApproval');
    await screenshot(wb, 'node-stopped');
  }));

  test('F5 on a Python asyncio program shows its tasks live, then done; a row opens its creation line', { timeout: 90_000 }, () => showingFailure(wb, 'python', async () => {
    const folder = workspace('workspace-python');
    const app = join(folder, 'app.py');
    const wb = await startDebugging(folder, 'app.py');

    // The agent's writer thread may send a batch between create_task() and main's `await approval`: main
    // can show as running for one update before it shows as pending, awaiting the approval task.
    const running = await waitForRows(wb, 'the approval task pending while the program runs, main awaiting it',
      (rows) => has(rows, 'approval', 'pending') && has(rows, 'fetch_user', 'done', 3) && has(rows, 'main', 'pending'), 30_000);
    const main = rowsNamed(running, 'main')[0];
    assert.match(main.text, /awaits.*approval/, 'the main row says what it awaits');
    await screenshot(wb, 'python-running', 'screenshot-python.png');
    await assertRowOpens(wb, rowsNamed(running, 'approval')[0], app, lineOf(app, 'create_task(wait_for_approval()'));

    const end = await waitForSessionEnd(wb);
    console.log(`Python: the panel showed the end ${end.lagMs} ms after VS Code's session ended`);
    assert.match(end.text, /exit code 0/, 'the panel reports the exit code');
    const finished = await waitForRows(wb, 'main and the approval task done after the program ended',
      (rows) => has(rows, 'main', 'done') && has(rows, 'approval', 'done'), 20_000);
    assert.ok(has(finished, 'fetch_user', 'done', 3), 'the three gathered fetch_user tasks are done');
    assert.deepEqual(finished.filter((r) => r.state === 'pending').map((r) => r.name), [], 'nothing left pending');
    await screenshot(wb, 'python-done');

    await assertRowOpens(wb, rowsNamed(finished, 'fetch_user')[0], app, lineOf(app, 'fetch_user(i)'));
    await screenshot(wb, 'python-editor');
  }));

  test('Python: the blocking call shows in the Problems panel; clicking it opens its line', { timeout: 40_000 }, () => showingFailure(wb, 'python-problems', async () => {
    assert.ok(wb);
    await assertBlockingProblem(wb, join(workspace('workspace-python'), 'app.py'), 'def build_report', 'return len(users)');
    await screenshot(wb, 'python-problems');
  }));

  savedSessionTests({ root, workspaces, server: () => server, wb: () => wb });
  attachTests({ workspaces, server: () => server, wb: () => wb });
});
