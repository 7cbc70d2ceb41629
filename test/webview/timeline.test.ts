/**
 * The timeline in a real browser: sequential awaits form a staircase and gather overlaps (scenario 1),
 * running slices are solid where waiting is faint, stalls are marked on the axis, zoom and pan move the
 * window, clicking a bar selects the task, and hostile names are drawn as text only.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TaskView } from '../../src/model/types';
import { BROWSER_SKIP, openView, type Harness } from './harness';
import { delta, deltaMsg, reset, task } from './sessions';

const LANE = 18;
const IMG = '<img src=x onerror="window.__pwned=1">';

/** Scenario 1: `await testa(3); await testb(1)` (4 s, one after the other), then gather of both (3 s). */
function sequentialThenGather(): TaskView[] {
  const t = (id: string, name: string, createdAt: number, endedAt: number, over: Partial<TaskView> = {}): TaskView =>
    task(id, { name, kind: 'task', state: 'done', createdAt, startedAt: createdAt, endedAt, ...over });
  return [
    t('1', 'main', 0, 7000, { steps: [[0, 2], [3000, 1], [4000, 1], [7000, 0.5]] }),
    t('2', 'testa (sequential)', 0, 3000, { parent: '1', steps: [[0, 1], [2990, 10]] }),
    t('3', 'testb (sequential)', 3000, 4000, { parent: '1' }),
    t('4', 'testa (gather)', 4000, 7000, { parent: '1' }),
    t('5', 'testb (gather)', 4000, 5000, { parent: '1' }),
    t('6', IMG, 5000, 6000, { parent: '1', state: 'failed' }),
    t('7', `${'M'.repeat(1 << 20)}\u202e\n`, 6500, 6900, { parent: '1' }),
  ];
}
const STALL = {
  id: 'f1', kind: 'blocking-call', message: 'time.sleep(0.25) blocked the loop', t: 1250, durationMs: 250,
  location: { file: '/work/app/seq.py', line: 9, function: 'testa' }, task: '2',
};

/** Alpha of the timeline body canvas at (time, lane): 0 where nothing is drawn. */
async function alphaAt(h: Harness, ms: number, lane: number): Promise<number> {
  return h.page.evaluate(({ ms, lane, LANE }) => {
    const root = document.querySelector<HTMLElement>('[data-testid="timeline"]')!;
    const canvas = root.querySelector<HTMLCanvasElement>('.timeline-canvas')!;
    const body = root.querySelector<HTMLElement>('.timeline-body')!;
    const start = Number(root.dataset.viewStart);
    const end = Number(root.dataset.viewEnd);
    const ratio = canvas.width / body.clientWidth;
    const x = Math.round(((ms - start) / (end - start)) * body.clientWidth * ratio);
    const y = Math.round((lane * LANE + LANE / 2 - body.scrollTop) * ratio);
    return canvas.getContext('2d')!.getImageData(x, y, 1, 1).data[3];
  }, { ms, lane, LANE });
}

async function viewWindow(h: Harness): Promise<[number, number]> {
  return h.page.$eval('[data-testid="timeline"]', (el) => [Number(el.getAttribute('data-view-start')), Number(el.getAttribute('data-view-end'))]);
}

describe('timeline', { skip: BROWSER_SKIP }, () => {
  let h: Harness;
  before(async () => {
    h = await openView({ width: 600, height: 500 });
    await h.send(reset(), deltaMsg(delta(1, sequentialThenGather(), { flags: [STALL], now: 7000 })), { type: 'ended', exitCode: 0, signal: null });
    await h.settle();
    await h.page.click('[data-testid="pane-timeline"]');
    await h.settle();
  });
  after(async () => {
    await h?.close();
  });

  it('draws sequential awaits as a staircase and gather as overlapping bars', async () => {
    assert.equal(await h.page.isVisible('[data-testid="task-tree"]'), false);
    assert.equal(await h.page.getAttribute('[data-testid="timeline"]', 'data-lanes'), '7');
    assert.deepEqual(await viewWindow(h), [0, 7000]);
    // Sequential: testb starts only when testa ends (nothing in its lane at 1.5 s, a bar at 3.5 s).
    assert.equal(await alphaAt(h, 1500, 2), 0);
    assert.ok(await alphaAt(h, 3500, 2) > 0);
    // Gather: both run at 4.5 s.
    assert.ok(await alphaAt(h, 4500, 3) > 0);
    assert.ok(await alphaAt(h, 4500, 4) > 0);
    // A running slice is solid; waiting is faint.
    const waiting = await alphaAt(h, 1500, 1);
    assert.ok(waiting > 0 && waiting < 200, `waiting alpha ${waiting}`);
    const lanes = await h.page.$$eval('[data-testid="timeline-lanes"] li', (els) => els.map((e) => e.textContent));
    assert.match(lanes[2] ?? '', /^testb \(sequential\): done, created at 3\.00 s, ended at 4\.00 s$/);
    await h.screenshot('webview-timeline-dark');
    await h.setTheme('light');
    await h.settle();
    await h.screenshot('webview-timeline-light');
    await h.setTheme('dark');
  });

  it('marks the stall on the time axis', async () => {
    // A string, not a function: tsx's name-keeping helpers do not exist inside the page.
    const red = await h.page.evaluate(`(() => {
      const axis = document.querySelector('[data-testid="timeline"] .timeline-axis');
      const ratio = axis.width / axis.clientWidth;
      const px = (ms) => [...axis.getContext('2d').getImageData(Math.round((ms / 7000) * axis.clientWidth * ratio), axis.height - 2, 1, 1).data];
      return { inside: px(1100), outside: px(1800) };
    })()`) as { inside: number[]; outside: number[] };
    assert.ok(red.inside[3] > 0 && red.inside[0] > red.inside[1], `stall pixel ${red.inside}`);
    assert.equal(red.outside[3], 0);
  });

  it('zooms with the buttons and Ctrl+wheel, pans by dragging, fits again', async () => {
    await h.page.click('[data-testid="timeline-zoom-in"]');
    await h.settle();
    const [s1, e1] = await viewWindow(h);
    assert.ok(e1 - s1 < 7000 * 0.7, `zoomed to ${s1}–${e1}`);
    const box = (await h.page.$('.timeline-body'))!;
    const rect = (await box.boundingBox())!;
    await h.page.mouse.move(rect.x + 10, rect.y + 100);
    await h.page.keyboard.down('Control');
    await h.page.mouse.wheel(0, -100);
    await h.page.keyboard.up('Control');
    await h.settle();
    const [s2, e2] = await viewWindow(h);
    assert.ok(e2 - s2 < e1 - s1, 'Ctrl+wheel zoomed in');
    assert.ok(s2 < s1 + (e1 - s1) * 0.05, 'around the pointer (left edge)');
    await h.page.mouse.move(rect.x + 300, rect.y + 100);
    await h.page.mouse.down();
    await h.page.mouse.move(rect.x + 200, rect.y + 100, { steps: 4 });
    await h.page.mouse.up();
    await h.settle();
    const [s3, e3] = await viewWindow(h);
    assert.ok(s3 > s2, `dragging left moves later: ${s2} → ${s3}`);
    assert.ok(Math.abs((e3 - s3) - (e2 - s2)) < 1e-6);
    await h.page.click('[data-testid="timeline-screen-full"]');
    await h.settle();
    assert.deepEqual(await viewWindow(h), [0, 7000]);
  });

  it('selects the task of a clicked bar, and shows the selected task in the tree', async () => {
    const rect = (await (await h.page.$('.timeline-body'))!.boundingBox())!;
    await h.page.mouse.click(rect.x + rect.width * (4500 / 7000), rect.y + 4 * LANE + LANE / 2);
    await h.settle();
    assert.equal(await h.page.textContent('[data-testid="task-details"] .details-title'), 'testb (gather)');
    await h.page.click('[data-testid="pane-tree"]');
    await h.settle();
    assert.equal(await h.page.getAttribute('[data-task-id="5"]', 'aria-selected'), 'true');
    await h.page.click('[data-testid="pane-timeline"]');
    await h.settle();
  });

  it('draws hostile names as text only', async () => {
    await new Promise((ok) => setTimeout(ok, 100));
    const lanes = await h.page.$$eval('[data-testid="timeline-lanes"] li', (els) => els.map((e) => e.textContent ?? ''));
    assert.ok(lanes.some((l) => l.startsWith(`${IMG}: failed`)), lanes.join('\n'));
    // A 1 MB name is clipped, control and bidi characters shown as escapes.
    const mega = lanes.find((l) => l.startsWith('MMM')) ?? '';
    assert.ok(mega.length < 400, `${mega.length} chars`);
    assert.doesNotMatch(mega, /[\u202e\n]/);
    assert.equal(await h.page.evaluate('window.__pwned'), undefined);
    assert.equal(await h.page.$$eval('img', (els) => els.length), 0);
    assert.deepEqual(await h.problems(), []);
  });
});
