/**
 * Rewind in a real browser, on a saved session reopened as the extension does (reportToMessages): drag
 * the scrubber back and the tree, the counts, the flags and the timeline show the program as it was.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { reportToMessages } from '../../src/extension/sessionFiles';
import type { Report, ReportTask } from '../../src/model/types';
import { BROWSER_SKIP, openView, type Harness } from './harness';
import { chip, rows } from './rowsShown';

/** Scenario 1 as a saved report: sequential awaits (0–4 s), then gather (4–7 s); a stall at 1.0–1.25 s. */
function savedReport(): Report {
  const t = (id: string, name: string, createdAt: number, endedAt: number, over: Partial<ReportTask> = {}): ReportTask => ({
    id, name, kind: 'task', state: 'done', parent: id === '1' ? null : '1', awaiting: [],
    created: { file: '/work/app/seq.py', line: Number(id) * 3, function: 'main' },
    createdAt, startedAt: createdAt, endedAt, ...over,
  });
  return {
    schema: 1, runtime: 'python', command: ['python3', '/work/app/seq.py'], exitCode: 0, signal: null, durationMs: 7000,
    droppedEvents: 0, retiredTasks: 0, counts: { queued: 0, pending: 0, running: 0, done: 4, failed: 1, cancelled: 0 },
    loops: [],
    tasks: [
      t('1', 'main', 0, 7000, { steps: [[0, 2], [3000, 1], [4000, 1], [6999, 1]] }),
      t('2', 'testa', 0, 3000, { result: '3' }),
      t('3', 'testb', 3000, 4000),
      t('4', 'gathered testa', 4000, 7000, { startedAt: 4500 }),
      t('5', 'gathered testb', 4000, 5000, { state: 'failed', error: { type: 'ValueError', message: 'boom' } }),
    ],
    flags: [
      { kind: 'blocking-call', message: 'time.sleep(0.25) blocked the loop', location: null, task: '2', durationMs: 250, t: 1250 },
      { kind: 'pending-at-exit', message: 'late flag', location: null, task: null, t: 6500 },
    ],
    agentErrors: [],
  };
}

async function rewindTo(h: Harness, ms: number): Promise<void> {
  await h.page.$eval('[data-testid="rewind-slider"]', (el, pos) => {
    const input = el as HTMLInputElement;
    input.value = String(pos);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, Math.round((ms / 7000) * 1000));
  await h.settle();
}

const states = async (h: Harness): Promise<Record<string, string>> =>
  Object.fromEntries((await rows(h)).filter((r) => r.id).map((r) => [r.name, r.state ?? '']));

describe('rewind', { skip: BROWSER_SKIP }, () => {
  let h: Harness;
  before(async () => {
    h = await openView({ height: 560 });
    await h.send(...reportToMessages(savedReport()));
    await h.settle();
  });
  after(async () => {
    await h?.close();
  });

  it('reopens a saved session as ended, with every task', async () => {
    assert.match(await h.page.textContent('[data-testid="session-status"]') ?? '', /Ended, exit code 0/);
    assert.deepEqual(await states(h), { main: 'done', testa: 'done', testb: 'done', 'gathered testa': 'done', 'gathered testb': 'failed' });
    assert.match(await h.page.textContent('[data-testid="rewind-label"]') ?? '', /^now · 7\.00 s$/);
  });

  it('shows the program as it was at 3.5 s: later tasks absent, states and counts then, later flags hidden', async () => {
    await rewindTo(h, 3500);
    assert.match(await h.page.textContent('[data-testid="rewind-label"]') ?? '', /^at 3\.50 s of 7\.00 s$/);
    assert.deepEqual(await states(h), { main: 'pending', testa: 'done', testb: 'pending' });
    assert.equal(await chip(h, 'count-pending'), '2');
    assert.equal(await chip(h, 'count-done'), '1');
    assert.equal(await chip(h, 'count-failed'), '0');
    assert.equal(await chip(h, 'count-flags'), '1');
    assert.equal(await h.page.textContent('[data-section="pending"] [data-testid="section-count"]'), '2');
    await h.screenshot('webview-rewind-dark');
  });

  it('goes further back: before the stall no flag; a running slice shows as running', async () => {
    await rewindTo(h, 1000);
    assert.deepEqual(await states(h), { main: 'pending', testa: 'pending' });
    assert.equal(await chip(h, 'count-flags'), '0');
    assert.equal(await h.page.$('[data-section="flags"]'), null);
    await rewindTo(h, 1);
    assert.equal((await states(h)).main, 'running'); // inside main's first slice [0, 2)
    // Selected task details are as of the rewind time: no result yet.
    await rewindTo(h, 1000);
    await h.page.click('[data-task-id="2"] .name');
    await h.settle();
    const details = await h.page.textContent('[data-testid="task-details"]') ?? '';
    assert.match(details, /task · pending/);
    assert.doesNotMatch(details, /Result|ended after/);
  });

  it('rewinds the timeline too, and returns to the present', async () => {
    await rewindTo(h, 4200);
    await h.page.click('[data-testid="pane-timeline"]');
    await h.settle();
    assert.equal(await h.page.getAttribute('[data-testid="timeline"]', 'data-lanes'), '5');
    const lanes = await h.page.$$eval('[data-testid="timeline-lanes"] li', (els) => els.map((e) => e.textContent ?? ''));
    assert.ok(lanes.some((l) => l.startsWith('gathered testa: queued')), lanes.join('\n'));
    await h.screenshot('webview-rewind-timeline');
    await h.page.click('[data-testid="pane-tree"]');
    await h.page.click('[data-testid="rewind-live"]');
    await h.settle();
    assert.equal(await chip(h, 'count-done'), '4');
    assert.equal(await chip(h, 'count-flags'), '2');
    assert.match(await h.page.textContent('[data-testid="rewind-label"]') ?? '', /^now/);
    await h.setTheme('light');
    await rewindTo(h, 3500);
    await h.screenshot('webview-rewind-light');
    await h.setTheme('dark');
    assert.deepEqual(await h.problems(), []);
  });
});
