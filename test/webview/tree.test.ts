/**
 * The Tasks view in a real browser: sections by state with counts, nesting by parent, what each row
 * says, clicking and keyboard, the session kept after the program ends. Screenshots (light and dark)
 * go to test-results/.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BROWSER_SKIP, openView, type Harness } from './harness';
import { chip, rows } from './rowsShown';
import { delta, deltaMsg, gatherScenario, reset, task } from './sessions';

describe('tasks view', { skip: BROWSER_SKIP }, () => {
  let h: Harness;
  before(async () => {
    h = await openView();
  });
  after(async () => {
    await h?.close();
  });

  it('says ready, and shows an empty state before any session', async () => {
    assert.deepEqual(await h.posted(), [{ type: 'ready', id: 1 }]);
    assert.equal(await h.page.isVisible('[data-testid="empty-state"]'), true);
    assert.equal(await h.page.getAttribute('[data-testid="session-status"]', 'data-status'), 'idle');
  });

  it('groups tasks into state sections with counts, nested by parent within a section', async () => {
    const tasks = gatherScenario();
    await h.send(reset(), deltaMsg(delta(1, tasks)));
    await h.settle();
    assert.equal(await h.page.isVisible('[data-testid="empty-state"]'), false);
    const r = await rows(h);
    const sections = r.filter((x) => x.section).map((x) => `${x.section}:${x.text.replace(/\D+/g, '')}`);
    assert.deepEqual(sections, ['running:1', 'pending:4', 'queued:1', 'done:2', 'failed:1', 'cancelled:1']);
    // Pending: main, then Promise.all and fetchInvoices nested under it, the socket under fetchInvoices.
    const pendingStart = r.findIndex((x) => x.section === 'pending');
    const pending = r.slice(pendingStart + 1, pendingStart + 5).map((x) => `${x.level}:${x.name}`);
    assert.deepEqual(pending, ['2:main', '3:Promise.all', '3:fetchInvoices', '4:TCPWRAP']);
    // Parent in another section: the child is top level in its own section.
    const done = r.filter((x) => x.state === 'done').map((x) => `${x.level}:${x.name}`);
    assert.deepEqual(done, ['2:fetchUser', '2:fetchOrders']);
    for (const [state, n] of Object.entries({ running: 1, pending: 4, queued: 1, done: 2, failed: 1, cancelled: 1 })) {
      assert.equal(await chip(h, `count-${state}`), String(n), state);
    }
    assert.equal(await h.page.getAttribute('[data-testid="session-status"]', 'data-status'), 'running');
    assert.match(await h.page.textContent('[data-testid="session-status"]') ?? '', /Running \(pid 4242\)/);
    assert.equal(await h.page.textContent('[data-testid="session-command"]'), 'node app.js');
    assert.equal(await h.page.getAttribute('[data-testid="session-command"]', 'title'), 'node /work/app/app.js');
  });

  it('shows site, awaiting and awaited-by on the row', async () => {
    const r = await rows(h);
    const all = r.find((x) => x.name === 'Promise.all')!;
    assert.equal(all.site, 'fetch-all.js:12');
    assert.equal(all.rel, 'awaits: fetchUser, fetchOrders, fetchInvoices');
    const user = r.find((x) => x.name === 'fetchUser')!;
    assert.equal(user.rel, 'awaited by: Promise.all');
    const failed = await h.page.getAttribute('[data-task-id="8"]', 'title');
    assert.match(failed ?? '', /Error: ENOENT/);
  });

  it('applies deltas: a task moves section, retired and dropped counts show', async () => {
    const moved = task('5', { name: 'fetchInvoices', state: 'done', parent: '1', awaitedBy: ['2'], createdAt: 4, endedAt: 180,
      created: { file: '/work/app/src/fetch-all.js', line: 12, function: 'main' } });
    const counts = { queued: 1, pending: 3, running: 1, done: 3, failed: 1, cancelled: 1 };
    await h.send(deltaMsg(delta(2, [moved], { removed: ['6'], counts, retired: 7, dropped: 3 })));
    await h.settle();
    assert.equal(await h.page.getAttribute('[data-task-id="5"]', 'data-state'), 'done');
    assert.equal(await h.page.$('[data-task-id="6"]'), null);
    assert.equal(await chip(h, 'count-done'), '3');
    assert.equal(await chip(h, 'count-retired'), '7');
    assert.equal(await chip(h, 'count-dropped'), '3');
    // A delta older than what is shown is ignored.
    await h.send(deltaMsg(delta(1, [task('5', { state: 'pending' })])));
    await h.settle();
    assert.equal(await h.page.getAttribute('[data-task-id="5"]', 'data-state'), 'done');
  });

  it('clicking a task asks the extension to open its creation site', async () => {
    await h.page.click('[data-task-id="3"] .name');
    const posted = await h.posted();
    assert.deepEqual(posted.at(-1), { type: 'openLocation', file: '/work/app/src/fetch-all.js', line: 12 });
    assert.equal(await h.page.getAttribute('[data-task-id="3"]', 'aria-selected'), 'true');
  });

  it('shows the selected task in details; its links select related tasks and open locations', async () => {
    await h.page.click('[data-task-id="1"] .name');
    await h.settle();
    const details = '[data-testid="task-details"]';
    assert.equal(await h.page.textContent(`${details} .details-title`), 'main');
    assert.match(await h.page.textContent(details) ?? '', /promise · pending.*Created at\s*fetch-all\.js:30.*Awaits\s*Promise\.all/s);
    await h.page.click(`${details} .details-link >> text=Promise.all`);
    await h.settle();
    assert.equal(await h.page.getAttribute('[data-task-id="2"]', 'aria-selected'), 'true');
    assert.equal(await h.page.textContent(`${details} .details-title`), 'Promise.all');
    await h.page.click(`${details} .details-link >> text=fetch-all.js:12`);
    assert.deepEqual((await h.posted()).at(-1), { type: 'openLocation', file: '/work/app/src/fetch-all.js', line: 12 });
  });

  it('clicking a section header folds it; keyboard navigates, folds and opens', async () => {
    await h.page.click('[data-section="done"]');
    await h.settle();
    // Folded rows leave no element behind that a query for tasks would find (pooled elements are reused).
    assert.equal(await h.page.$('[data-task-id="3"]'), null);
    assert.equal(await h.page.$('[hidden][data-task-id], [hidden][data-state], [hidden][data-section]'), null);
    assert.equal(await h.page.getAttribute('[data-section="done"]', 'aria-expanded'), 'false');
    await h.page.click('[data-section="done"]');
    await h.settle();
    assert.notEqual(await h.page.$('[data-task-id="3"]'), null);

    await h.page.focus('[data-testid="task-tree"]');
    await h.page.keyboard.press('Home');
    await h.page.keyboard.press('ArrowDown'); // the running Timeout
    const active = await h.page.getAttribute('[data-testid="task-tree"]', 'aria-activedescendant');
    assert.equal(await h.page.getAttribute(`#${active}`, 'data-task-id'), '7');
    await h.page.keyboard.press('Enter');
    assert.deepEqual((await h.posted()).at(-1), { type: 'openLocation', file: '/work/app/src/fetch-all.js', line: 40 });
    // Down to main (pending), fold it with ArrowLeft: its children disappear; ArrowRight unfolds.
    await h.page.keyboard.press('ArrowDown');
    await h.page.keyboard.press('ArrowDown');
    await h.page.keyboard.press('ArrowLeft');
    await h.settle();
    assert.equal(await h.page.getAttribute('[data-task-id="1"]', 'aria-expanded'), 'false');
    assert.equal(await h.page.$('[data-task-id="2"]'), null);
    await h.page.keyboard.press('ArrowRight');
    await h.settle();
    assert.notEqual(await h.page.$('[data-task-id="2"]'), null);
  });

  it('lists flags first, with their kind, location and task; clicking one opens where it points', async () => {
    const flag = {
      id: 'f1', kind: 'blocking-call', message: 'the event loop was blocked by fs.readFileSync', t: 150, durationMs: 240,
      location: { file: '/work/app/src/report.js', line: 17, col: 5, function: 'buildReport' }, task: '7',
    };
    const counts = { queued: 1, pending: 3, running: 1, done: 3, failed: 1, cancelled: 1 };
    await h.send(deltaMsg(delta(3, [], { flags: [flag], counts, retired: 7, dropped: 3 })));
    await h.settle();
    const r = await rows(h);
    assert.equal(r[0].section, 'flags');
    assert.equal(await h.page.textContent('[data-section="flags"] [data-testid="section-count"]'), '1');
    const row = '[data-testid="flag-row"][data-flag-kind="blocking-call"]';
    assert.equal(await h.page.textContent(`${row} .name`), 'Blocking call (240 ms): the event loop was blocked by fs.readFileSync');
    assert.equal(await h.page.textContent(`${row} .site`), 'report.js:17');
    assert.equal(await h.page.textContent(`${row} .rel`), 'task: Timeout');
    assert.equal(await chip(h, 'count-flags'), '1');
    await h.page.click(`${row} .name`);
    assert.deepEqual((await h.posted()).at(-1), { type: 'openLocation', file: '/work/app/src/report.js', line: 17, col: 5 });
    // Withdrawn flags disappear, and so does the section.
    await h.send(deltaMsg(delta(4, [], { retractedFlags: ['f1'], counts, retired: 7, dropped: 3 })));
    await h.settle();
    assert.equal(await h.page.$('[data-section="flags"]'), null);
    await h.send(deltaMsg(delta(5, [], { flags: [flag], counts, retired: 7, dropped: 3 })));
    await h.settle();
  });

  it('keeps the last session after the program ends', async () => {
    await h.send({ type: 'ended', exitCode: 0, signal: null });
    await h.settle();
    assert.equal(await h.page.getAttribute('[data-testid="session-status"]', 'data-status'), 'ended');
    assert.match(await h.page.textContent('[data-testid="session-status"]') ?? '', /Ended, exit code 0/);
    assert.notEqual(await h.page.$('[data-task-id="1"]'), null);
  });

  it('looks right in dark, light and high-contrast themes (screenshots in test-results/)', async () => {
    await h.page.click('[data-task-id="4"] .name');
    await h.setTheme('dark');
    await h.screenshot('webview-dark');
    await h.setTheme('light');
    await h.screenshot('webview-light');
    await h.setTheme('high-contrast');
    await h.page.focus('[data-testid="task-tree"]');
    await h.screenshot('webview-high-contrast');
    await h.setTheme('dark');
    assert.deepEqual(await h.problems(), []);
  });

  it('ignores malformed messages and asks for a snapshot when it missed the reset', async () => {
    await h.send({ type: 'delta', delta: { seq: 'x' } }, { type: 'nope' }, null, 'text');
    await h.send(reset(null));
    await h.settle();
    assert.equal(await h.page.isVisible('[data-testid="empty-state"]'), true);
    await h.send(deltaMsg(delta(9, [task('1')])));
    await h.settle();
    assert.deepEqual((await h.posted()).at(-1), { type: 'requestSnapshot', id: 2 });
  });

  it('says the debug session in focus is not inspected (its name as text), then shows the next session', async () => {
    const name = '<img src=x onerror=alert(1)> my "run"';
    const earlier = (await h.problems()).length; // the malformed messages above already made some
    await h.send(reset(), deltaMsg(delta(1, gatherScenario())), { type: 'reset', session: null, uninspected: name });
    await h.settle();
    const empty = h.page.locator('[data-testid="empty-state"]');
    assert.equal(await empty.isVisible(), true);
    assert.equal(await empty.textContent(), `The debug session in focus, "${name}", is not inspected. Focus an inspected session to see its tasks, or add ` +
      '"asyncInspector": true to its launch configuration (or set asyncInspector.followDebugSessions to "all") and start it again.');
    assert.equal(await h.page.locator('[data-testid="empty-state"] img').count(), 0);
    assert.match(await h.page.textContent('[data-testid="session-status"]') ?? '', /Not inspected/);
    assert.deepEqual(await rows(h), []);
    await h.screenshot('webview-uninspected');
    await h.send(reset(), deltaMsg(delta(1, gatherScenario())));
    await h.settle();
    assert.equal(await empty.isVisible(), false);
    await h.send(reset(null));
    await h.settle();
    assert.match(await empty.textContent() ?? '', /^No session yet/);
    assert.match(await h.page.textContent('[data-testid="session-status"]') ?? '', /No session/);
    assert.deepEqual((await h.problems()).slice(earlier), []);
  });

  it('remembers folded sections when VS Code recreates the view', async () => {
    await h.send(reset(), deltaMsg(delta(1, gatherScenario())));
    await h.settle();
    await h.page.click('[data-section="done"]');
    await h.page.reload();
    await h.page.waitForFunction('window.__posted.length > 0');
    await h.send(reset(), deltaMsg(delta(1, gatherScenario())));
    await h.settle();
    assert.equal(await h.page.getAttribute('[data-section="done"]', 'aria-expanded'), 'false');
    assert.equal(await h.page.$('[data-task-id="3"]'), null);
    assert.notEqual(await h.page.$('[data-task-id="1"]'), null);
  });
});
