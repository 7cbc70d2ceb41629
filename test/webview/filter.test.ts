/**
 * Search, filter and grouping in a real browser: words narrow the tree by name, site, state, kind and
 * flag; the state counts filter when clicked; tasks group by state, by creating task, or by creation
 * site (10,000 tasks from one line are one row with counts); hostile names stay text in results.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TaskView } from '../../src/model/types';
import { BROWSER_SKIP, openView, type Harness } from './harness';
import { groupBy, rows, search } from './rowsShown';
import { delta, deltaMsg, gatherScenario, reset, task } from './sessions';

const BLOCKING = {
  id: 'f1', kind: 'blocking-call', message: 'fs.readFileSync held the loop', t: 150, durationMs: 240,
  location: { file: '/work/app/src/report.js', line: 17, function: 'buildReport' }, task: '7',
};
const names = async (h: Harness): Promise<string[]> => (await rows(h)).filter((r) => r.id).map((r) => r.name);

describe('search, filter and group', { skip: BROWSER_SKIP }, () => {
  let h: Harness;
  before(async () => {
    h = await openView();
    await h.send(reset(), deltaMsg(delta(1, gatherScenario(), { flags: [BLOCKING] })));
    await h.settle();
  });
  after(async () => {
    await h?.close();
  });

  it('narrows by name, site, state, kind and flag, and says how many match', async () => {
    await search(h, 'fetchU');
    assert.deepEqual(await names(h), ['fetchUser']);
    assert.match(await h.page.textContent('[data-testid="filter-summary"]') ?? '', /^1 of 10 tasks match/);
    // The section count is what matches, not the session's total.
    assert.equal(await h.page.textContent('[data-section="done"] [data-testid="section-count"]'), '1');

    await search(h, 'fetch-all.js:12');
    assert.deepEqual((await names(h)).sort(), ['Promise.all', 'fetchInvoices', 'fetchOrders', 'fetchUser']);
    await search(h, 'state:done,failed');
    assert.deepEqual(await names(h), ['fetchUser', 'fetchOrders', 'readConfig']);
    await search(h, 'kind:timer');
    assert.deepEqual(await names(h), ['Timeout']);
    await search(h, 'flag:blocking');
    assert.deepEqual(await names(h), ['Timeout']);
    assert.equal((await rows(h)).filter((r) => r.section === null && r.id === null).length, 1, 'the flag row stays');
    await search(h, 'name:fetch -state:done');
    assert.deepEqual(await names(h), ['fetchInvoices']);
    // No match: no rows, and the summary says so.
    await search(h, 'nothing-like-this');
    assert.deepEqual(await rows(h), []);
    assert.match(await h.page.textContent('[data-testid="filter-summary"]') ?? '', /^0 of 10/);
    await h.page.press('[data-testid="task-filter"]', 'Escape');
    await h.settle();
    assert.equal((await names(h)).length, 10);
    assert.equal(await h.page.isVisible('[data-testid="filter-summary"]'), false);
  });

  it('filters by a state when its count is clicked, and clears on a second click', async () => {
    await h.page.click('[data-testid="count-pending"]');
    await h.settle();
    assert.equal(await h.page.inputValue('[data-testid="task-filter"]'), 'state:pending');
    assert.deepEqual(await names(h), ['main', 'Promise.all', 'fetchInvoices', 'TCPWRAP']);
    await h.page.click('[data-testid="count-pending"]');
    await h.settle();
    assert.equal(await h.page.inputValue('[data-testid="task-filter"]'), '');
  });

  it('groups by creating task: one tree whatever the states', async () => {
    await groupBy(h, 'creator');
    const r = (await rows(h)).filter((x) => x.section !== 'flags' && x.id !== null || x.section === 'all');
    assert.equal(r[0].section, 'all');
    const tree = r.slice(1).map((x) => `${x.level}:${x.name}`);
    assert.equal(tree[0], '2:main');
    for (const child of ['Promise.all', 'fetchUser', 'fetchOrders', 'fetchInvoices', 'Timeout', 'readConfig']) {
      assert.ok(tree.includes(`3:${child}`), `${child} under main: ${tree.join(' ')}`);
    }
    assert.ok(tree.includes('4:TCPWRAP'));
    assert.equal(await h.page.getAttribute('[data-testid="task-tree"]', 'aria-label'), 'Tasks by creating task');
  });

  it('groups 10,000 tasks from one line into one row with counts, unfolding on click', async () => {
    const site = { file: '/work/app/src/pool.js', line: 7, function: 'spawn' };
    const many: TaskView[] = Array.from({ length: 10_000 }, (_, i) => task(String(100 + i), {
      name: `job${i}`, created: site, state: i % 10 === 0 ? 'failed' : 'done', createdAt: 10 + i / 100, endedAt: 20 + i / 100,
    }));
    await h.send(deltaMsg(delta(2, many, { counts: { queued: 1, pending: 4, running: 1, done: 9_002, failed: 1_001, cancelled: 1 } })));
    await groupBy(h, 'site');
    const r = await rows(h);
    const sites = r.filter((x) => x.siteKey);
    assert.equal(sites[0].name, 'pool.js:7');
    assert.equal(sites[0].dur, '10,000');
    assert.equal(sites[0].rel, '9,000 done · 1,000 failed');
    assert.ok(r.length < 30, `${r.length} rows: the 10,000 tasks stay folded`);
    await h.page.click(`[data-site-key="${sites[0].siteKey}"] .name`);
    await h.settle();
    const open = await rows(h);
    assert.equal(open.find((x) => x.siteKey)?.text.includes('10,000'), true);
    assert.ok(open.filter((x) => x.name.startsWith('job')).length > 5);
    await h.screenshot('webview-group-site');
    // Search still applies inside the groups.
    await search(h, 'job99');
    const found = await rows(h);
    assert.equal(found.find((x) => x.siteKey)?.dur, '111'); // job99, job990–999, job9900–9999
    await search(h, '');
    await groupBy(h, 'state');
  });

  it('shows hostile names in results as text and never runs them', async () => {
    const IMG = '<img src=x onerror="window.__pwned=1">';
    await h.send(reset(), deltaMsg(delta(1, [task('1', { name: IMG }), task('2', { name: 'plain' })])));
    await search(h, '<img');
    assert.deepEqual(await names(h), [IMG]);
    await search(h, '"><script>window.__pwned=2</script>');
    await new Promise((ok) => setTimeout(ok, 150));
    assert.equal(await h.page.evaluate('window.__pwned'), undefined);
    assert.equal(await h.page.$$eval('img', (els) => els.length), 0);
    assert.match(await h.page.textContent('[data-testid="filter-summary"]') ?? '', /^0 of 2/);
    await search(h, '');
    assert.deepEqual(await h.problems(), []);
  });
});
