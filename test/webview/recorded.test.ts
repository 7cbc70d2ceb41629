/**
 * Replays a recorded real session (fixtures/shop.session.json, made by record-session.ts from the real
 * Node agent, launcher and model running fixtures/shop.js) into the view, message by message, and
 * checks what a user sees at each step.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { SessionMessage } from '../../src/shared/messages';
import { BROWSER_SKIP, openView, type Harness } from './harness';

const ROOT = resolve(__dirname, '../..');
const SHOP = join(__dirname, 'fixtures/shop.js');
const recording: SessionMessage[] = JSON.parse(
  readFileSync(join(__dirname, 'fixtures/shop.session.json'), 'utf8').split('<root>').join(ROOT),
);

/** 1-based line and column of `text` in the fixture: where the agent says the call was made. */
function siteOf(text: string): { line: number; col: number } {
  const lines = readFileSync(SHOP, 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(text));
  return { line: i + 1, col: lines[i].indexOf(text) + 1 };
}

interface Shown {
  id: string;
  name: string;
  state: string;
  level: number;
  rel: string;
}

async function shown(h: Harness): Promise<Shown[]> {
  const rows = await h.page.$$eval('[data-testid="task-row"]:not([hidden])', (els) => els.map((el) => ({
    id: el.getAttribute('data-task-id') ?? '',
    name: el.querySelector('.name')?.textContent ?? '',
    state: el.getAttribute('data-state') ?? '',
    level: Number(el.getAttribute('aria-level')),
    rel: el.querySelector('.rel')?.textContent ?? '',
    top: el.getBoundingClientRect().top,
  })));
  return rows.sort((a, b) => a.top - b.top).map(({ top: _top, ...r }) => r);
}

describe('a recorded Node session', { skip: BROWSER_SKIP }, () => {
  let h: Harness;
  before(async () => {
    h = await openView({ height: 900 });
  });
  after(async () => {
    await h?.close();
  });

  it('shows main pending on Promise.all of the fetches while it runs', async () => {
    await h.send(recording[0], recording[1]);
    await h.settle();
    const rows = await shown(h);
    const main = rows.find((r) => r.name === 'main');
    assert.equal(main?.state, 'pending');
    assert.equal(main?.rel, 'awaits: Promise.all');
    const all = rows.find((r) => r.name === 'Promise.all');
    assert.equal(all?.state, 'pending');
    assert.equal(all?.level, (main?.level ?? 0) + 1, 'Promise.all nests under main, which created it');
    assert.equal(rows.filter((r) => r.name === 'fetchUser').length, 3);
    assert.ok(rows.some((r) => r.name === 'fetchUser' && r.state === 'done'));
    assert.equal(await h.page.getAttribute('[data-testid="session-status"]', 'data-status'), 'running');
  });

  it('ends with everything done, the session kept, and rows opening their creation line', async () => {
    await h.send(...recording.slice(2));
    await h.settle();
    const rows = await shown(h);
    assert.deepEqual(rows.filter((r) => r.state !== 'done').map((r) => r.name), []);
    for (const name of ['main', 'Promise.all', 'fetchUser', 'waitForApproval']) assert.ok(rows.some((r) => r.name === name), name);
    assert.equal(await h.page.getAttribute('[data-testid="count-pending"]', 'data-value'), '0');
    assert.match(await h.page.textContent('[data-testid="session-status"]') ?? '', /Ended, exit code 0/);
    const fetch = rows.find((r) => r.name === 'fetchUser')!;
    await h.page.click(`[data-task-id="${fetch.id}"] .name`);
    assert.deepEqual((await h.posted()).at(-1), { type: 'openLocation', file: SHOP, ...siteOf('fetchUser(id))') });
    await h.screenshot('webview-recorded-node');
    assert.deepEqual(await h.problems(), []);
  });

  it('draws the recorded run on the timeline: the fetches of Promise.all overlap', async () => {
    await h.page.click('[data-testid="pane-timeline"]');
    await h.settle();
    const lanes = await h.page.$$eval('[data-testid="timeline-lanes"] li', (els) => els.map((e) => e.textContent ?? ''));
    const held = await h.page.$$eval('[data-testid^="count-"]', (els) => els.slice(0, 6).reduce((n, e) => n + Number(e.getAttribute('data-value')), 0));
    assert.equal(Number(await h.page.getAttribute('[data-testid="timeline"]', 'data-lanes')), held, 'one lane per task');
    // Lane text: "fetchUser: done, created at X, ended at Y" — the three fetches are alive at the same time.
    const spans = lanes.filter((l) => l.startsWith('fetchUser:')).map((l) => {
      const [, created, ended] = /created at (.+?), ended at (.+)$/.exec(l) ?? [];
      return [created, ended].map((d) => (d.endsWith(' ms') ? parseFloat(d) : d === '<1 ms' ? 0 : parseFloat(d) * 1000));
    });
    assert.equal(spans.length, 3);
    const latestStart = Math.max(...spans.map((s) => s[0]));
    const earliestEnd = Math.min(...spans.map((s) => s[1]));
    assert.ok(latestStart < earliestEnd, `the fetches overlap: ${JSON.stringify(spans)}`);
    await h.screenshot('webview-recorded-node-timeline');
    await h.page.click('[data-testid="pane-tree"]');
  });
});
