/**
 * 100,000 tasks: the view draws a bounded number of rows, scrolls anywhere, applies a stream of deltas
 * quickly, and keeps the rows under the reader in place when rows are added above them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BROWSER_SKIP, openView, type Harness } from './harness';

const TOTAL = 100_000;

/**
 * Runs in the page: posts a reset and a 100k-task snapshot (1,000 pending parents with 99 children
 * each, children spread over the states), as the extension would after a long run.
 */
const POST_BIG_SESSION = `(() => {
  const states = ['running', 'pending', 'done', 'done', 'failed', 'cancelled', 'queued'];
  const counts = { queued: 0, pending: 0, running: 0, done: 0, failed: 0, cancelled: 0 };
  const upserts = [];
  for (let i = 0; i < ${TOTAL}; i++) {
    const parent = i % 100 === 0 ? null : String(i - (i % 100));
    const state = parent === null ? 'pending' : states[i % states.length];
    counts[state]++;
    upserts.push({
      id: String(i), name: 'job' + i, kind: parent === null ? 'task' : 'promise', state, parent,
      awaiting: [], awaitedBy: [], created: { file: '/work/app/jobs.js', line: 1 + (i % 500), function: 'spawn' },
      createdAt: i / 10, ...(state === 'done' || state === 'failed' || state === 'cancelled' ? { endedAt: i / 10 + 5 } : {}),
    });
  }
  window.__counts = counts;
  window.postMessage({ type: 'reset', session: { runtime: 'node', command: ['node', 'jobs.js'], pid: 1, startEpochMs: 0 } }, '*');
  window.postMessage({ type: 'delta', delta: { seq: 1, reset: true, upserts, removed: [], flags: [], retractedFlags: [],
    loops: [], counts, retired: 0, dropped: 0, now: 20000 } }, '*');
})()`;

/** Posts one delta changing \`n\` tasks (state flips pending→done on children) and resolves when drawn. */
const CHURN = (seq: number, n: number, offset: number): string => `(() => {
  const upserts = [];
  for (let k = 0; k < ${n}; k++) {
    const i = ${offset} + k * 7 + 1;
    if (i % 100 === 0) continue;
    upserts.push({ id: String(i), name: 'job' + i, kind: 'promise', state: 'done', parent: String(i - (i % 100)),
      awaiting: [], awaitedBy: [], created: { file: '/work/app/jobs.js', line: 7, function: 'spawn' }, createdAt: 1, endedAt: 2 });
  }
  const t0 = performance.now();
  window.postMessage({ type: 'delta', delta: { seq: ${seq}, reset: false, upserts, removed: [], flags: [], retractedFlags: [],
    loops: [], counts: window.__counts, retired: 0, dropped: 0, now: 20000 + ${seq} } }, '*');
  return window.__settle().then(() => performance.now() - t0);
})()`;

/**
 * The view's own work for the last update: validating and applying the delta, rebuilding and drawing
 * the tree, and drawing the timeline when it shows (what the page reports; no frame waits).
 */
const WORK = `(() => {
  const app = document.querySelector('.app');
  const timeline = document.querySelector('[data-testid="timeline"]');
  return Number(app.dataset.applyMs) + Number(app.dataset.drawMs) + (timeline.hidden ? 0 : Number(timeline.dataset.drawMs));
})()`;

/** Posts 10 deltas of ~500 upserts; returns the sorted round trips and the sorted work times (ms). */
async function churn(h: Harness): Promise<{ trips: number[]; work: number[] }> {
  const trips: number[] = [];
  const work: number[] = [];
  for (let i = 0; i < 10; i++) {
    trips.push(await h.page.evaluate(CHURN(2 + i, 500, i * 3500)));
    work.push(await h.page.evaluate(WORK));
  }
  return { trips: trips.sort((a, b) => a - b), work: work.sort((a, b) => a - b) };
}

async function domRows(h: Harness): Promise<number> {
  return h.page.$$eval('[data-testid="task-tree"] [role="treeitem"]', (els) => els.length);
}

describe('100k tasks', { skip: BROWSER_SKIP }, () => {
  let h: Harness;
  before(async () => {
    h = await openView({ height: 700 });
  });
  after(async () => {
    await h?.close();
  });

  it('renders 100k tasks with a bounded number of DOM rows', async () => {
    const t0 = Date.now();
    await h.page.evaluate(POST_BIG_SESSION);
    await h.settle();
    const firstDraw = Date.now() - t0;
    const heapMb = await h.page.evaluate('Math.round(performance.memory.usedJSHeapSize / 1e6)');
    console.log(`# 100k tasks: generated, validated, applied and drawn in ${firstDraw} ms; JS heap ${heapMb} MB`);
    const n = await domRows(h);
    assert.ok(n > 10 && n < 100, `${n} row elements in the DOM`);
    const canvas = await h.page.$eval('.tree-canvas', (el) => el.getBoundingClientRect().height);
    assert.equal(canvas, (TOTAL + 6) * 22, 'the scroll height stands for every row (6 section headers)');
    assert.equal(await h.page.getAttribute('[data-testid="count-pending"]', 'data-value'), String(await h.page.evaluate('window.__counts.pending')));
    assert.ok(firstDraw < 20_000, `first draw took ${firstDraw} ms`);
  });

  it('scrolls to the end and shows the last rows', async () => {
    await h.page.focus('[data-testid="task-tree"]');
    await h.page.keyboard.press('End');
    await h.settle();
    const last = await h.page.$$eval('[data-testid="task-row"]:not([hidden])', (els) =>
      els.map((e) => ({ id: e.getAttribute('data-task-id'), state: e.getAttribute('data-state'), top: e.getBoundingClientRect().top }))
        .sort((a, b) => b.top - a.top)[0]);
    assert.equal(last.state, 'cancelled');
    assert.ok(await domRows(h) < 100);
    const active = await h.page.getAttribute('[data-testid="task-tree"]', 'aria-activedescendant');
    assert.equal(await h.page.getAttribute(`#${active}`, 'data-task-id'), last.id);
  });

  it('applies deltas at 20/s rates quickly, keeping the top row in place', async () => {
    // Scroll into the Done section, note the row at the top of the viewport.
    await h.page.$eval('[data-testid="task-tree"]', (el) => { el.scrollTop = 60_000 * 22 + 7; });
    await h.settle();
    const topRow = (): Promise<{ key: string; top: number }> => h.page.$eval('[data-testid="task-tree"]', (tree) => {
      const limit = tree.getBoundingClientRect().top;
      const rows = [...tree.querySelectorAll<HTMLElement>('[role="treeitem"]:not([hidden])')]
        .map((e) => ({ key: e.dataset.key ?? '', top: e.getBoundingClientRect().top }))
        .filter((r) => r.top >= limit - 22).sort((a, b) => a.top - b.top);
      return rows[0];
    });
    const before = await topRow();
    const { trips: times, work } = await churn(h);
    const after = await topRow();
    console.log(`# delta of ~500 upserts over 100k tasks: work median ${work[5].toFixed(1)} ms, max ${work[9].toFixed(1)} ms ` +
      `(validate + apply + rebuild + draw); round trip with two frames median ${times[5].toFixed(1)} ms`);
    assert.deepEqual(after, before, 'the row under the reader did not move');
    assert.ok(times[5] < 1000, `median update ${times[5]} ms`);
    assert.ok(await domRows(h) < 100);
    await h.screenshot('webview-100k');
  });
});

describe('100k tasks: filter and timeline', { skip: BROWSER_SKIP }, () => {
  let h: Harness;
  before(async () => {
    h = await openView({ height: 700 });
    await h.page.evaluate(POST_BIG_SESSION);
    await h.settle();
  });
  after(async () => {
    await h?.close();
  });

  /** Runs `action` in the page and resolves with the ms until the view has drawn its result. */
  const timed = (action: string): Promise<number> =>
    h.page.evaluate(`(() => { const t0 = performance.now(); ${action}; return window.__settle().then(() => performance.now() - t0); })()`);

  it('filters 100k tasks and draws the timeline of the matches, with deltas streaming in', async () => {
    const filter = await timed(`const box = document.querySelector('[data-testid="task-filter"]');
      box.value = 'job9'; box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }))`);
    const matching = await h.page.textContent('[data-testid="filter-summary"]');
    assert.match(matching ?? '', /^11,111 of 100,000 tasks match/); // job9, job9x, job9xx, job9xxx, job9xxxx
    const toTimeline = await timed(`document.querySelector('[data-testid="pane-timeline"]').click()`);
    assert.equal(await h.page.getAttribute('[data-testid="timeline"]', 'data-lanes'), '11111');
    const { trips: times, work } = await churn(h);
    const zoomed = await timed(`document.querySelector('[data-testid="timeline-zoom-in"]').click()`);
    const unfiltered = await timed(`const box = document.querySelector('[data-testid="task-filter"]');
      box.value = ''; box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }))`);
    assert.equal(await h.page.getAttribute('[data-testid="timeline"]', 'data-lanes'), '100000');
    console.log(`# 100k tasks: filter ${filter.toFixed(0)} ms, switch to timeline ${toTimeline.toFixed(0)} ms, zoom ${zoomed.toFixed(0)} ms, ` +
      `clear filter (timeline of 100k) ${unfiltered.toFixed(0)} ms; delta of ~500 upserts with filter + timeline: ` +
      `work median ${work[5].toFixed(1)} ms, max ${work[9].toFixed(1)} ms; round trip median ${times[5].toFixed(1)} ms`);
    await h.screenshot('webview-100k-timeline');
    assert.ok(times[5] < 1000, `median update ${times[5]} ms`);
    assert.deepEqual(await h.problems(), []);
  });

  it('rewinds 100k tasks as the scrubber is dragged', async () => {
    const scrub = (pos: number): string => `const s = document.querySelector('[data-testid="rewind-slider"]');
      s.value = '${pos}'; s.dispatchEvent(new Event('input', { bubbles: true }))`;
    await h.page.click('[data-testid="pane-timeline"]');
    const times: number[] = [];
    for (const pos of [900, 700, 500, 300, 100]) times.push(await timed(scrub(pos)));
    // At 10% of the ~20 s session: one task is created every 0.1 ms, so ~20,000 exist then (plus the
    // ones the churn above re-created at 1 ms).
    const lanes = Number(await h.page.getAttribute('[data-testid="timeline"]', 'data-lanes'));
    assert.ok(lanes > 20_000 && lanes < 25_000, `${lanes} tasks at 2 s`);
    await h.page.click('[data-testid="pane-tree"]');
    await h.settle();
    const counts = await h.page.$$eval('[data-testid^="count-"]', (els) => els.map((e) => Number(e.getAttribute('data-value'))));
    assert.equal(counts.slice(0, 6).reduce((a, b) => a + b, 0), lanes, 'the header counts what existed then');
    times.sort((a, b) => a - b);
    console.log(`# 100k tasks: rewind step median ${times[2].toFixed(0)} ms, max ${times[4].toFixed(0)} ms (rebuild + draw)`);
    await h.page.click('[data-testid="rewind-live"]');
    await h.settle();
    assert.deepEqual(await h.problems(), []);
  });
});
