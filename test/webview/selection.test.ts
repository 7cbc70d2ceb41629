/**
 * Selection and details in a real browser: a new session starts with nothing selected (task #4 of the
 * next program is another task), the same session sent again keeps the selection; details name a task's
 * relations whatever the filter hides ("retired" only for retired tasks); a selected flag shows its
 * whole message, where it points, its stack (each frame opens its line) and the task it concerns.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SessionInfo } from '../../src/model/types';
import { BROWSER_SKIP, openView, type Harness } from './harness';
import { search } from './rowsShown';
import { delta, deltaMsg, gatherScenario, reset, SESSION, task } from './sessions';

const PYTHON: SessionInfo = { runtime: 'python', command: ['python3', '/work/py/pipeline.py'], pid: 5151, startEpochMs: 1_700_000_100_000 };

const selected = (h: Harness): Promise<string[]> =>
  h.page.$$eval('[data-testid="task-tree"] [aria-selected="true"]', (els) => els.map((e) => e.getAttribute('data-task-id') ?? ''));

describe('selection across sessions', { skip: BROWSER_SKIP }, () => {
  let h: Harness;
  before(async () => {
    h = await openView();
  });
  after(async () => {
    await h?.close();
  });

  it('keeps the selection when the same session is sent again (view reopened, snapshot)', async () => {
    await h.send(reset(), deltaMsg(delta(1, gatherScenario())));
    await h.settle();
    await h.page.click('[data-task-id="4"] .name');
    await h.settle();
    assert.deepEqual(await selected(h), ['4']);
    assert.equal(await h.page.isVisible('[data-testid="task-details"]'), true);
    await h.send(reset(SESSION), deltaMsg(delta(2, gatherScenario(), { reset: true })));
    await h.settle();
    assert.deepEqual(await selected(h), ['4']);
    assert.match(await h.page.textContent('[data-testid="task-details"]') ?? '', /fetchOrders/);
  });

  it('starts the next session with nothing selected and no details', async () => {
    const next = [task('1', { name: 'main' }), task('4', { name: 'checksum', parent: '1' })];
    await h.send(reset(PYTHON), deltaMsg(delta(1, next)));
    await h.settle();
    assert.deepEqual(await selected(h), []);
    assert.equal(await h.page.isVisible('[data-testid="task-details"]'), false);
    assert.deepEqual(await h.problems(), []);
  });
});

describe('details under a filter', { skip: BROWSER_SKIP }, () => {
  let h: Harness;
  before(async () => {
    h = await openView();
  });
  after(async () => {
    await h?.close();
  });

  it('names the parent and children hidden by the filter, and "retired" only for a retired task', async () => {
    const site = { file: '/work/app/agg.js', line: 20, function: 'aggregate' };
    const tasks = [
      task('1', { name: 'main' }),
      task('3', { name: 'aggregate', parent: '1' }),
      task('4', { name: 'recordAudit', parent: '3', created: site }),
      task('5', { name: 'writeLog', parent: '4' }),
      task('6', { name: 'Timeout', kind: 'timer', parent: '4' }),
      task('7', { name: 'orphan', parent: '99' }),
    ];
    const flag = { id: 'f1', kind: 'never-awaited' as const, message: 'recordAudit() was never awaited', location: site, task: '4', t: 5 };
    await h.send(reset(), deltaMsg(delta(1, tasks, { flags: [flag] })));
    await h.settle();
    await search(h, 'flag:never-awaited');
    await h.page.click('[data-task-id="4"] .name');
    await h.settle();
    const details = await h.page.textContent('[data-testid="task-details"]') ?? '';
    assert.match(details, /Started byaggregate/);
    assert.doesNotMatch(details, /retired/);
    assert.match(details, /Started \(2\)writeLog, Timeout/);
    await search(h, 'orphan');
    await h.page.click('[data-task-id="7"] .name');
    await h.settle();
    assert.match(await h.page.textContent('[data-testid="task-details"]') ?? '', /#99 \(retired\)/);
  });
});

describe('details of a selected flag', { skip: BROWSER_SKIP }, () => {
  let h: Harness;
  before(async () => {
    h = await openView({ width: 560 });
  });
  after(async () => {
    await h?.close();
  });

  it('shows the message, location, stack and task; frames open their line, the task link selects it', async () => {
    const at = (line: number, fn: string) => ({ file: '/work/app/src/consumer.js', line, function: fn });
    const message = 'The event loop was blocked for 317 ms by one callback (threshold 100 ms): nothing else could run meanwhile. ' +
      'The last words of this long message must be readable: END-OF-MESSAGE';
    const flag = { id: 'f1', kind: 'blocking-call' as const, message, location: at(17, 'parse'), task: '3', t: 150, durationMs: 317,
      stack: [at(17, 'parse'), at(30, 'consume'), at(44, 'main')] };
    const tasks = gatherScenario().map((t) => (t.id === '3' ? { ...t, thread: 'MainThread', loop: '_UnixSelectorEventLoop #1' } : t));
    await h.send(reset(), deltaMsg(delta(1, tasks, { flags: [flag] })));
    await h.settle();
    await h.page.click('[data-testid="flag-row"] .name');
    await h.settle();
    const details = h.page.locator('[data-testid="task-details"]');
    assert.equal(await details.isVisible(), true, 'the details pane shows for a flag');
    const text = await details.textContent() ?? '';
    assert.match(text, /^Blocking call/);
    assert.match(text, /lasted 317 ms · thread MainThread · loop _UnixSelectorEventLoop #1/, 'the loop and thread of its task');
    assert.match(text, /END-OF-MESSAGE/);
    assert.match(text, /TaskfetchUser/);
    const box = await details.boundingBox();
    const end = await details.getByText('END-OF-MESSAGE', { exact: false }).boundingBox();
    assert.ok(box && end && end.x + end.width <= box.x + box.width + 1, 'the whole message wraps inside the pane');
    await h.screenshot('webview-flag-details');

    const frames = details.locator('.details-stack a');
    assert.equal(await frames.count(), 3);
    await frames.nth(1).click();
    const posted = await h.posted();
    assert.deepEqual(posted[posted.length - 1], { type: 'openLocation', file: '/work/app/src/consumer.js', line: 30 });
    await details.getByText('fetchUser').click();
    await h.settle();
    assert.deepEqual(await selected(h), ['3']);
    assert.match(await details.textContent() ?? '', /^fetchUser/);
  });
});

describe('details of an executor job', { skip: BROWSER_SKIP }, () => {
  let h: Harness;
  before(async () => {
    h = await openView();
  });
  after(async () => {
    await h?.close();
  });

  it('says how long it ran in its thread and how long it was queued, not time "on the loop"', async () => {
    const job = task('9', { name: 'checksum', kind: 'executor', state: 'done', thread: 'asyncio_0', createdAt: 100, startedAt: 102,
      endedAt: 640, runMs: 0.4 });
    const waiting = task('10', { name: 'resize', kind: 'executor', state: 'queued', createdAt: 200 });
    await h.send(reset(), deltaMsg(delta(1, [job, waiting], { now: 700 })), { type: 'ended', exitCode: 0, signal: null });
    await h.settle();
    await h.page.click('[data-task-id="9"] .name');
    await h.settle();
    const text = await h.page.textContent('[data-testid="task-details"]') ?? '';
    assert.match(text, /ran 538 ms in thread asyncio_0 \(queued 2 ms\)/);
    assert.doesNotMatch(text, /on the loop/);
    await h.page.click('[data-task-id="10"] .name');
    await h.settle();
    assert.match(await h.page.textContent('[data-testid="task-details"]') ?? '', /queued for 500 ms/);
  });
});
