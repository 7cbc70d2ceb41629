/**
 * Who awaits whom while rewound, in a real browser: only the links that already held at the rewind time
 * are shown (on the rows and in the details), and a task pending then on something not recorded says so.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TaskView } from '../../src/model/types';
import { BROWSER_SKIP, openView, type Harness } from './harness';
import { rows } from './rowsShown';
import { delta, deltaMsg, reset, task } from './sessions';

const NOW = 4000;
const line9 = { file: '/work/app/main.py', line: 9, function: 'main' };

/**
 * Mid-run: main ran 0–0.1 s, waited on something, ran again 2.0–2.5 s and has awaited fetch at line 9
 * since 2.5 s; fetch (created at 1 s) is still pending.
 */
function session(): TaskView[] {
  return [
    task('1', { name: 'main', kind: 'task', createdAt: 0, startedAt: 0, steps: [[0, 100], [2000, 500]],
      awaiting: ['2'], awaitAt: line9, awaitSince: 2500 }),
    task('2', { name: 'fetch', kind: 'task', parent: '1', createdAt: 1000, startedAt: 1000, steps: [[1000, 50]], awaitedBy: ['1'] }),
  ];
}

async function rewindTo(h: Harness, ms: number | null): Promise<void> {
  if (ms === null) await h.page.click('[data-testid="rewind-live"]');
  else {
    await h.page.$eval('[data-testid="rewind-slider"]', (el, pos) => {
      const input = el as HTMLInputElement;
      input.value = String(pos);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }, Math.round((ms / NOW) * 1000));
  }
  await h.settle();
}

/** The relation line of each task row, by name. */
const relations = async (h: Harness): Promise<Record<string, string>> =>
  Object.fromEntries((await rows(h)).filter((r) => r.id).map((r) => [r.name, r.rel]));

const details = async (h: Harness): Promise<string> => await h.page.innerText('[data-testid="task-details"]');

describe('rewind: who awaits whom', { skip: BROWSER_SKIP }, () => {
  let h: Harness;
  before(async () => {
    h = await openView({ height: 520 });
    await h.send(reset(), deltaMsg(delta(1, session(), { now: NOW })));
    await h.settle();
    await h.page.click('[data-task-id="1"] .name');
    await h.settle();
  });
  after(async () => {
    await h?.close();
  });

  it('shows the links now', async () => {
    assert.deepEqual(await relations(h), { main: 'awaits: fetch', fetch: 'awaited by: main' });
    assert.match(await details(h), /Awaits\s+fetch/);
    assert.match(await details(h), /Waiting at\s+main\.py:9/);
  });

  it('before the await began: no link on either row, and the details say what main awaited is not known', async () => {
    await rewindTo(h, 1500);
    assert.deepEqual(await relations(h), { main: '', fetch: '' });
    const text = await details(h);
    assert.match(text, /task · pending/);
    assert.match(text, /Waiting\s+on what is not known at this time/);
    assert.doesNotMatch(text, /Awaits|Waiting at|main\.py:9/);
    await h.screenshot('webview-rewind-awaits-unknown-dark');
    await h.setTheme('light');
    await h.screenshot('webview-rewind-awaits-unknown-light');
    await h.setTheme('dark');
    await h.page.click('[data-task-id="2"] .name');
    await h.settle();
    assert.doesNotMatch(await details(h), /Awaited by/);
    await h.page.click('[data-task-id="1"] .name');
    await h.settle();
  });

  it('while main was running (2.2 s) it awaited nothing', async () => {
    await rewindTo(h, 2200);
    assert.deepEqual(await relations(h), { main: '', fetch: '' });
    const text = await details(h);
    assert.match(text, /task · running/);
    assert.doesNotMatch(text, /Awaits|Waiting/);
  });

  it('after the await began (3 s): the links as now, on both rows and in the details', async () => {
    await rewindTo(h, 3000);
    assert.deepEqual(await relations(h), { main: 'awaits: fetch', fetch: 'awaited by: main' });
    const text = await details(h);
    assert.match(text, /Awaits\s+fetch/);
    assert.match(text, /Waiting at\s+main\.py:9/);
    assert.doesNotMatch(text, /not known/);
    await rewindTo(h, null);
    assert.doesNotMatch(await details(h), /not known/);
    assert.deepEqual(await h.problems(), []);
  });
});
