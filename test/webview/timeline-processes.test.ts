/**
 * The timeline of a program that ran as two processes, in a real browser: a header lane per process (pid,
 * program, state, its tasks' count, command), each process's task lanes under its header, a click on a header
 * folds its lanes, and so do Enter and Space once the arrow keys reach it (aria-expanded on its list entry, the
 * current lane the body's active descendant); selecting a task of a folded process unfolds it; program strings are
 * drawn as text only.
 * Screenshots (light and dark) go to test-results/.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FlagView, ProcessView, TaskView } from '../../src/model/types';
import { BROWSER_SKIP, openView, type Harness } from './harness';
import { delta, deltaMsg, reset, SESSION, task } from './sessions';

const LANE = 18;
const APP = '/work/app/server.js';
const IMG = '<img src=x onerror="window.__pwned=1">';
const PROCESSES: ProcessView[] = [
  { pid: 4242, parentPid: 4000, command: ['node', APP], idPrefixes: [''], exited: false, exitCode: null },
  { pid: 4243, parentPid: 4242, command: ['node', '/work/app/worker.js', IMG], idPrefixes: ['p1:'], exited: true, exitCode: 3 },
];
const span = (id: string, name: string, createdAt: number, endedAt?: number, over: Partial<TaskView> = {}): TaskView =>
  task(id, { name, kind: 'task', state: endedAt === undefined ? 'pending' : 'done', createdAt, startedAt: createdAt, endedAt, ...over });
const TASKS: TaskView[] = [
  span('1', 'main', 0),
  span('p1:1', 'workerMain', 100, 700),
  span('2', 'listen', 150),
  span('p1:2', 'crunch', 300, 600, { parent: 'p1:1' }),
];

/** A blocking call in the worker, from 20 to 80 ms (before any lane but main's has a bar). */
const STALL: FlagView = {
  id: 'f1', kind: 'blocking-call', message: 'crypto.pbkdf2Sync held the loop', t: 80, durationMs: 60, task: null, pid: 4243,
  location: { file: '/work/app/worker.js', line: 9, function: 'crunch' },
};

/** The lanes as listed for screen readers (one per lane in view). */
async function lanes(h: Harness): Promise<string[]> {
  return h.page.$$eval('[data-testid="timeline-lanes"] li', (els) => els.map((e) => e.textContent ?? ''));
}

/** Alpha of the timeline canvas at (x fraction of the width, lane): 0 where nothing is drawn. */
async function alphaAt(h: Harness, fraction: number, lane: number): Promise<number> {
  return h.page.evaluate(({ fraction, lane, LANE }) => {
    const root = document.querySelector<HTMLElement>('[data-testid="timeline"]')!;
    const canvas = root.querySelector<HTMLCanvasElement>('.timeline-canvas')!;
    const y = Math.round((lane * LANE + LANE / 2) * (canvas.width / root.querySelector<HTMLElement>('.timeline-body')!.clientWidth));
    return canvas.getContext('2d')!.getImageData(Math.round(canvas.width * fraction), y, 1, 1).data[3];
  }, { fraction, lane, LANE });
}

/** Where `ms` is across the timeline's width (0..1). */
async function fractionAt(h: Harness, ms: number): Promise<number> {
  const [start, end] = await h.page.$eval('[data-testid="timeline"]', (el) => [Number(el.getAttribute('data-view-start')), Number(el.getAttribute('data-view-end'))]);
  return (ms - start) / (end - start);
}

async function laneCount(h: Harness): Promise<number> {
  return Number(await h.page.getAttribute('[data-testid="timeline"]', 'data-lanes'));
}

async function clickLane(h: Harness, lane: number): Promise<void> {
  const box = (await h.page.locator('.timeline-body').boundingBox())!;
  await h.page.mouse.click(box.x + box.width * 0.95, box.y + lane * LANE + LANE / 2);
  await h.settle();
}

describe('timeline grouped by process', { skip: BROWSER_SKIP }, () => {
  let h: Harness;
  before(async () => {
    h = await openView({ width: 700, height: 400 });
    await h.send(reset({ ...SESSION, command: ['node', APP] }), deltaMsg(delta(1, TASKS, { processes: PROCESSES, flags: [STALL], now: 1000 })),
      { type: 'ended', exitCode: 0, signal: null }); // the clock stops: the window stays [0, 1 s]
    await h.settle();
    await h.page.click('[data-testid="pane-timeline"]');
    await h.settle();
  });
  after(async () => {
    await h?.close();
  });

  it('puts each task lane under its process\'s header lane', async () => {
    assert.equal(await h.page.getAttribute('[data-testid="timeline"]', 'data-process-lanes'), '2');
    const shown = await lanes(h);
    assert.equal(shown.length, 6);
    assert.equal(shown[0], `pid 4242 · server.js, running · 2 tasks · node ${APP}`);
    assert.match(shown[1], /^main: pending/);
    assert.match(shown[2], /^listen: pending/);
    assert.equal(shown[3], `pid 4243 · worker.js, exited with code 3 · 2 tasks · node /work/app/worker.js ${IMG}`);
    assert.match(shown[4], /^workerMain: done/);
    assert.match(shown[5], /^crunch: done/);
    // The header is a band across the whole width (drawn where no task's bar is); the worker's job is drawn in
    // its lane under the worker's header, at 450 ms of the 1 s session.
    assert.ok(await alphaAt(h, 0.98, 3) > 0, 'the worker header band');
    assert.equal(await alphaAt(h, 0.98, 5), 0, 'no band on a task lane');
    assert.ok(await alphaAt(h, await fractionAt(h, 450), 5) > 0, 'crunch drawn in its lane');
  });

  it('draws a stall over the lanes of the process that stalled, not over the others', async () => {
    const at = await fractionAt(h, 50);
    assert.equal(await alphaAt(h, at, 2), 0, 'no band over the primary\'s lanes');
    assert.ok(await alphaAt(h, at, 4) > 0, 'the band over the worker\'s lanes');
    assert.ok(await alphaAt(h, at, 5) > 0, 'the band down to the worker\'s last lane');
  });

  it('takes screenshots (dark and light)', async () => {
    await h.screenshot('webview-timeline-processes-dark');
    await h.setTheme('light');
    await h.settle();
    await h.screenshot('webview-timeline-processes-light');
    await h.setTheme('dark');
    await h.settle();
  });

  it('folds a process\'s lanes on a click on its header, and unfolds it for a task selected in the tree', async () => {
    await clickLane(h, 3);
    assert.equal(await laneCount(h), 4);
    assert.match((await lanes(h))[3], /^pid 4243 · worker\.js, exited with code 3 · 2 tasks, folded/);
    await clickLane(h, 3);
    assert.equal(await laneCount(h), 6);
    await clickLane(h, 3);
    await h.page.click('[data-testid="pane-tree"]');
    await h.settle();
    await h.page.click('[data-testid="task-row"][data-task-id="p1:2"] .name');
    await h.page.click('[data-testid="pane-timeline"]');
    await h.settle();
    assert.equal(await laneCount(h), 6, 'unfolded for the selected task');
    assert.equal(await h.page.evaluate('window.__pwned'), undefined);
    assert.deepEqual(await h.problems(), []);
  });

  it('reaches a process header with the arrows and folds it with Enter or Space (aria-expanded says which)', async () => {
    /** The lane the keyboard is on, as the body's active descendant names it: its text and aria-expanded. */
    const current = () => h.page.evaluate(() => {
      const id = document.querySelector('.timeline-body')!.getAttribute('aria-activedescendant');
      const li = id ? document.getElementById(id) : null;
      return li ? `${li.textContent} [${li.getAttribute('aria-expanded') ?? '-'}]` : null;
    });
    const press = async (key: string) => {
      await h.page.keyboard.press(key);
      await h.settle();
    };
    await h.page.focus('.timeline-body');
    await press('ArrowUp'); // from crunch, the task selected in the tree (below the lanes in view)
    assert.match(await current() ?? '', /^workerMain: done.* \[-\]$/, 'the selected task is the current lane');
    await press('ArrowUp');
    assert.match(await current() ?? '', /^pid 4243 · worker\.js, .* \[true\]$/);
    await h.screenshot('webview-timeline-header-keyboard');
    await press('Enter');
    assert.equal(await laneCount(h), 4);
    assert.match(await current() ?? '', /^pid 4243 · worker\.js, exited with code 3 · 2 tasks, folded .*\[false\]$/);
    await press(' ');
    assert.equal(await laneCount(h), 6);
    assert.match(await current() ?? '', /^pid 4243 .*\[true\]$/);
    await press('ArrowUp');
    assert.match(await current() ?? '', /^listen: pending/);
    assert.equal(await laneCount(h), 6, 'Enter on a task lane folds nothing');
    await press('Enter');
    assert.equal(await laneCount(h), 6);
    await press('ArrowUp');
    await press('ArrowUp');
    await press('ArrowUp');
    assert.match(await current() ?? '', /^pid 4242 · server\.js.*\[true\]$/);
    await press('Space');
    assert.equal(await laneCount(h), 1, 'folding the first process hides its child process too');
    await press('Enter');
    assert.equal(await laneCount(h), 6);
    assert.deepEqual(await h.problems(), []);
  });
});
