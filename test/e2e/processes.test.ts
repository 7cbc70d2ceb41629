/**
 * Real VS Code end to end, a program that runs as several processes: F5 on a Node cluster (a primary and 2
 * workers) shows the process tree in the Async Inspector panel — each worker under the primary with its
 * tasks, running, then exited with its exit code — and the blocking call planted in one worker names that
 * worker's process in the panel and in the Problems panel. Screenshots (dark and light) go to test-results/
 * (and, with E2E_SCREENSHOTS=docs, to docs/ for the README).
 * Tools come from scripts/ensure-vscode.sh; without them this is a visible SKIP (a failure under CI).
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Frame } from 'playwright-core';
import type { CodeServer } from './harness/codeServer';
import { readProblems, showProblems } from './harness/problems';
import { screenshot, showingFailure } from './harness/screenshots';
import { TASK_TREE, waitForSessionEnd } from './harness/taskTree';
import { startVsCode } from './harness/startVsCode';
import { findTools, skipReasonOrThrow } from './harness/tools';
import type { Workbench } from './harness/workbench';

const root = join(__dirname, '..', '..');
const lookup = findTools();
const skip = skipReasonOrThrow(lookup);
const workspaces = mkdtempSync(join(tmpdir(), 'async-inspector-e2e-proc-'));
cpSync(join(__dirname, 'workspace-cluster'), join(workspaces, 'workspace-cluster'), { recursive: true });
const folder = join(workspaces, 'workspace-cluster');

interface ProcessRow {
  pid: number;
  level: number;
  exited: boolean;
  exitCode: string | null;
  status: string;
  /** The names of the task rows under it (up to the next process row). */
  tasks: string[];
}

/** The panel's process rows, top to bottom, each with the names of the task rows shown under it. */
async function readProcesses(frame: Frame): Promise<{ processes: ProcessRow[]; flags: string[] }> {
  return frame.$$eval(`${TASK_TREE} [role="treeitem"]`, (els) => {
    const shown = (els as HTMLElement[]).filter((el) => !el.hidden)
      .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top);
    const processes: ProcessRow[] = [];
    const flags: string[] = [];
    for (const el of shown) {
      const name = el.querySelector('.name')?.textContent ?? '';
      if (el.dataset.testid === 'process-row') {
        processes.push({
          pid: Number(el.dataset.pid), level: Number(el.getAttribute('aria-level')), exited: el.dataset.exited === 'true',
          exitCode: el.dataset.exitCode ?? null, status: el.querySelector('.site')?.textContent ?? '', tasks: [],
        });
      } else if (el.dataset.testid === 'task-row') processes.at(-1)?.tasks.push(name);
      else if (el.dataset.testid === 'flag-row') flags.push(name);
    }
    return { processes, flags };
  });
}

describe('real VS Code: a program of several processes', { skip }, () => {
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

  test('F5 on a Node cluster shows the process tree: both workers under the primary, running then exited with their codes', { timeout: 120_000 }, () => showingFailure(wb, 'cluster', async () => {
    assert.ok(server && wb);
    await wb.openFolder(server.url, folder);
    await wb.openFile('cluster.js');
    await wb.showViewContainer('Async Inspector');
    await wb.setSideBarWidth(560);
    await wb.findFrame('[data-testid="session-header"]');
    await wb.startDebugging();
    await wb.showViewContainer('Async Inspector');

    let seen: unknown;
    const poll = async (what: string, check: (p: ProcessRow[], flags: string[]) => boolean, timeoutMs: number) =>
      wb!.until(what, async () => {
        const read = await readProcesses(await wb!.findFrame(TASK_TREE, 2000));
        seen = read;
        return check(read.processes, read.flags) ? read : undefined;
      }, timeoutMs).catch((e: Error) => {
        throw new Error(`${e.message}; seen: ${JSON.stringify(seen)}`);
      });

    const running = await poll('the primary and both workers, the workers serving', (p, flags) => p.length === 3
      && p.slice(1).every((w) => w.level === 2 && !w.exited && w.tasks.some((t) => t.startsWith('serveRequests')))
      && flags.length > 0, 45_000);
    const [primary, ...workers] = running.processes;
    assert.equal(primary.level, 1);
    assert.ok(primary.tasks.some((t) => t.startsWith('superviseWorkers')), JSON.stringify(primary));
    assert.equal(new Set(workers.map((w) => w.pid)).size, 2);
    // The blocking call names the worker whose loop it blocked.
    const blocking = running.flags.find((f) => /Blocking call/.test(f));
    const blockedPid = Number(/\(pid (\d+), cluster\.js\)$/.exec(blocking ?? '')?.[1]);
    assert.ok(workers.some((w) => w.pid === blockedPid), `${blocking} names a worker: ${JSON.stringify(workers)}`);
    await wb.moveMouseAway();
    await screenshot(wb, 'cluster-running-dark', 'process-tree-vscode-dark.png');

    await waitForSessionEnd(wb, 40_000);
    const ended = await poll('every process exited, the workers with their codes', (p) => p.length === 3 && p.every((x) => x.exited), 15_000);
    const codes = ended.processes.slice(1).map((w) => [w.pid === blockedPid, w.exitCode]);
    assert.deepEqual(codes.sort(), [[false, '0'], [true, '3']], JSON.stringify(ended.processes));
    assert.equal(ended.processes[0].exitCode, '0');
    assert.match(ended.processes.find((w) => w.pid === blockedPid)!.status, /exited with code 3/);

    // The Problems panel says which process too.
    await showProblems(wb);
    const problem = await wb.until('the blocking call in the Problems panel', async () =>
      (await readProblems(wb!)).find((p) => /Blocking call/.test(p.label)), 10_000);
    assert.match(problem.label, new RegExp(`\\(pid ${blockedPid}, cluster\\.js\\)`));
    await wb.setColorTheme('Light Modern', 'light');
    await wb.moveMouseAway();
    await screenshot(wb, 'cluster-ended-light', 'process-tree-vscode-light.png');
  }));
});
