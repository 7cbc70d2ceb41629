/**
 * The process tree in a real browser: a Node cluster (a primary and its workers, one ended) shows each
 * process under its parent (pid, command, parent, running or exited with its code) with its tasks under it;
 * a flag names its process; the details pane shows a task's process; a process folds. A one-process session
 * has no process rows. Screenshots (light and dark) go to test-results/.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FlagView, ProcessView, TaskView } from '../../src/model/types';
import { BROWSER_SKIP, openView, type Harness } from './harness';
import { rows } from './rowsShown';
import { delta, deltaMsg, reset, SESSION, task } from './sessions';

const APP = '/work/app/cluster.js';
const CLUSTER = { ...SESSION, command: ['node', APP] };
const proc = (pid: number, parentPid: number, idPrefixes: string[], exited = false, exitCode: number | null = null): ProcessView =>
  ({ pid, parentPid, command: ['/usr/bin/node', APP], idPrefixes, exited, exitCode });
const PROCESSES = [proc(4242, 4000, ['']), proc(4243, 4242, ['p1:']), proc(4244, 4242, ['p2:', 'p4:']), proc(4245, 4242, ['p3:'], true, 0)];
const site = (line: number, fn: string) => ({ file: APP, line, function: fn });
const TASKS: TaskView[] = [
  task('1', { name: 'main', state: 'pending', created: site(30, '<module>'), awaiting: ['2'] }),
  task('2', { name: 'workersOnline', state: 'pending', parent: '1', created: site(12, 'main'), awaitedBy: ['1'] }),
  task('p1:1', { name: 'server.listen', kind: 'io', state: 'pending', created: site(20, 'worker') }),
  task('p1:2', { name: 'GET /orders', state: 'running', parent: 'p1:1', created: site(24, 'handle') }),
  task('p2:1', { name: 'server.listen', kind: 'io', state: 'pending', created: site(20, 'worker') }),
  task('p2:2', { name: 'GET /report', state: 'running', parent: 'p2:1', created: site(24, 'handle') }),
  task('p3:1', { name: 'shutdown', state: 'done', created: site(40, 'worker'), endedAt: 50 }),
];
const FLAG: FlagView = {
  id: 'f1', kind: 'blocking-call', message: 'crypto.pbkdf2Sync held the loop', location: site(26, 'handle'), task: 'p2:2',
  durationMs: 240, t: 90, pid: 4244,
};

describe('process tree', { skip: BROWSER_SKIP }, () => {
  let h: Harness;
  before(async () => {
    h = await openView({ height: 700 });
  });
  after(async () => {
    await h?.close();
  });

  it('shows each process under its parent with its state, and its tasks under it', async () => {
    await h.send(reset(CLUSTER), deltaMsg(delta(1, TASKS, { processes: PROCESSES, flags: [FLAG] })));
    await h.settle();
    const procs = await h.page.$$eval('[data-testid="process-row"]', (els) => els.map((el) => ({
      pid: el.getAttribute('data-pid'), level: el.getAttribute('aria-level'), exited: el.getAttribute('data-exited'),
      code: el.getAttribute('data-exit-code'), name: el.querySelector('.name')?.textContent, site: el.querySelector('.site')?.textContent,
      rel: el.querySelector('.rel')?.textContent, count: el.querySelector('.dur')?.textContent,
    })));
    assert.deepEqual(procs.map((p) => [p.pid, p.level, p.exited, p.code]), [
      ['4242', '1', 'false', null], ['4243', '2', 'false', null], ['4244', '2', 'false', null], ['4245', '2', 'true', '0'],
    ]);
    assert.equal(procs[0].name, 'pid 4242 · cluster.js');
    assert.equal(procs[0].rel, `/usr/bin/node ${APP}`);
    assert.equal(procs[0].site, 'running');
    assert.equal(procs[1].site, 'running');
    assert.equal(procs[1].rel, `child of pid 4242 · /usr/bin/node ${APP}`);
    assert.equal(procs[3].site, 'exited with code 0');
    assert.equal(procs[2].count, '2 tasks');
    // Under worker 4244: its running and pending sections, the request under its server.
    const r = await rows(h);
    const at = r.findIndex((x) => x.name === 'pid 4244 · cluster.js');
    assert.deepEqual(r.slice(at + 1, at + 5).map((x) => `${x.level}:${x.section ?? x.name}`), ['3:running', '4:GET /report', '3:pending', '4:server.listen']);
    assert.deepEqual(await h.problems(), []);
  });

  it('names the process of a flag, and shows a task\'s process in its details', async () => {
    const flag = (await rows(h)).find((x) => x.name.startsWith('Blocking call'));
    assert.equal(flag?.name, 'Blocking call (240 ms): crypto.pbkdf2Sync held the loop (pid 4244, cluster.js)');
    await h.page.click('[data-testid="task-row"][data-task-id="p1:2"] .name');
    await h.settle();
    assert.equal(await h.page.textContent('[data-testid="details-process"]'), 'pid 4243, cluster.js · child of pid 4242 · running');
    await h.page.click('[data-testid="flag-row"] .name');
    await h.settle();
    assert.equal(await h.page.textContent('[data-testid="details-process"]'), 'pid 4244, cluster.js · child of pid 4242 · running');
  });

  it('takes screenshots of the tree (light and dark)', async () => {
    await h.page.click('[data-testid="task-row"][data-task-id="p2:2"] .name');
    await h.settle();
    await h.screenshot('webview-process-tree-dark');
    await h.setTheme('light');
    await h.settle();
    await h.screenshot('webview-process-tree-light');
    await h.setTheme('dark');
  });

  it('a worker that ends is still listed, with its exit code; a folded process hides its children', async () => {
    const ended = PROCESSES.map((p) => (p.pid === 4243 ? { ...p, exited: true, exitCode: 1 } : p));
    await h.send(deltaMsg(delta(2, [], { processes: ended, counts: { queued: 0, pending: 4, running: 2, done: 1, failed: 0, cancelled: 0 } })));
    await h.settle();
    assert.equal(await h.page.getAttribute('[data-pid="4243"]', 'data-exit-code'), '1');
    assert.equal(await h.page.textContent('[data-pid="4243"] .site'), 'exited with code 1');
    await h.page.click('[data-testid="process-row"][data-pid="4242"] .twistie');
    await h.settle();
    assert.deepEqual((await rows(h)).filter((x) => !x.name.startsWith('Blocking')).map((x) => x.name), ['Flags', 'pid 4242 · cluster.js']);
    await h.page.keyboard.press('ArrowRight');
    await h.settle();
    assert.equal(await h.page.locator('[data-testid="process-row"]').count(), 4);
  });

  it('a one-process session shows no process rows and names no process', async () => {
    await h.send(reset(), deltaMsg(delta(1, TASKS.slice(0, 2), { processes: PROCESSES.slice(0, 1), flags: [{ ...FLAG, task: null, pid: 4242 }] })));
    await h.settle();
    assert.equal(await h.page.locator('[data-testid="process-row"]').count(), 0);
    const flag = (await rows(h)).find((x) => x.name.startsWith('Blocking call'));
    assert.equal(flag?.name, 'Blocking call (240 ms): crypto.pbkdf2Sync held the loop');
    assert.deepEqual((await rows(h)).filter((x) => x.section).map((x) => x.section), ['flags', 'pending']);
  });
});
