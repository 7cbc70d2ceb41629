/**
 * Program strings are hostile input: markup in names, paths and errors must show as text and never run;
 * a 1 MB name must not freeze the view; control and bidi characters must be visible, not acted on.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BROWSER_SKIP, openView, type Harness } from './harness';
import { delta, deltaMsg, reset, SESSION, task } from './sessions';

const IMG = '<img src=x onerror="window.__pwned=1">';
const SCRIPT = '<script>window.__pwned=2</script>';
const SVG = '<svg onload="window.__pwned=3"></svg>';
const MEGA = 'A'.repeat(1 << 20);
const CONTROL = 'tick\u0000tock\nnext\u001b[31mred\u202eevil\u2066x\u007f';

describe('hostile program strings', { skip: BROWSER_SKIP }, () => {
  let h: Harness;
  before(async () => {
    h = await openView();
  });
  after(async () => {
    await h?.close();
  });

  it('shows markup as text in every field and never runs it', async () => {
    const hostileSite = { file: `/tmp/${IMG}.js`, line: 3, function: SCRIPT };
    const tasks = [
      task('1', { name: IMG, created: hostileSite, awaiting: ['2'] }),
      task('2', { name: SCRIPT, awaitedBy: ['1'], thread: SVG }),
      task('3', { name: SVG, state: 'failed', endedAt: 5, error: { type: IMG, message: SCRIPT } }),
      task('__proto__', { name: 'constructor', kind: IMG as never, parent: 'toString' }),
    ];
    await h.send({ type: 'reset', session: { ...SESSION, command: ['node', IMG, SCRIPT] } }, deltaMsg(delta(1, tasks)));
    await h.settle();
    await new Promise((ok) => setTimeout(ok, 200)); // give an injected onerror/onload time to fire
    const state = await h.page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: number }).__pwned,
      imgs: document.querySelectorAll('img').length,
      svgs: document.querySelectorAll('svg').length,
      scripts: document.querySelectorAll('script').length,
    }));
    assert.deepEqual(state, { pwned: undefined, imgs: 0, svgs: 0, scripts: 1 });
    assert.equal(await h.page.textContent('[data-task-id="1"] .name'), IMG);
    assert.equal(await h.page.textContent('[data-task-id="2"] .name'), SCRIPT);
    assert.equal(await h.page.textContent('[data-task-id="1"] .rel'), `awaits: ${SCRIPT}`);
    assert.match(await h.page.textContent('[data-task-id="1"] .site') ?? '', /<img src=x onerror=.*\.js:3/);
    assert.match(await h.page.getAttribute('[data-task-id="3"]', 'title') ?? '', /<img src=x.*<script>/s);
    assert.match(await h.page.textContent('[data-testid="session-command"]') ?? '', /<img src=x/);
    // Odd ids and unknown kinds still render as rows.
    assert.equal(await h.page.textContent('[data-task-id="__proto__"] .name'), 'constructor');
    // Clicking passes the path through unchanged: the extension decides whether it is a real file.
    await h.page.click('[data-task-id="1"] .name');
    assert.deepEqual((await h.posted()).at(-1), { type: 'openLocation', file: hostileSite.file, line: 3 });
    assert.deepEqual(await h.problems(), []);
  });

  it('clips a 1 MB name and stays responsive', async () => {
    const started = Date.now();
    await h.send(reset(), deltaMsg(delta(1, [task('1', { name: MEGA, created: { file: `/${MEGA}.js`, line: 1, function: MEGA } })])));
    await h.settle();
    const elapsed = Date.now() - started;
    const name = (await h.page.textContent('[data-task-id="1"] .name')) ?? '';
    assert.ok(name.length < 400, `shown name is ${name.length} chars`);
    assert.match(name, /^A+… \(1,048,576 chars\)$/);
    assert.ok(((await h.page.textContent('[data-task-id="1"] .site')) ?? '').length < 200);
    assert.ok(((await h.page.getAttribute('[data-task-id="1"]', 'title')) ?? '').length < 5000);
    assert.ok(elapsed < 5000, `1 MB name took ${elapsed} ms to show`);
    const rect = await h.page.$eval('[data-task-id="1"]', (el) => el.getBoundingClientRect().height);
    assert.equal(rect, 22, 'the row keeps its height');
  });

  it('treats javascript: URLs and lone surrogates as text: no link, no navigation, the view keeps working', async () => {
    const JS_URL = 'javascript:window.__pwned=4';
    const LONE = 'half\ud800pair\udfffend';
    const site = { file: JS_URL, line: 1, function: LONE };
    await h.send(reset(), deltaMsg(delta(1, [
      task('1', { name: JS_URL, created: site }),
      task('2', { name: LONE, state: 'failed', endedAt: 3, error: { type: LONE, message: JS_URL } }),
    ])));
    await h.settle();
    await h.page.click('[data-task-id="1"] .name');
    await h.page.click('[data-task-id="1"] .site').catch(() => undefined);
    await h.settle();
    const state = await h.page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: number }).__pwned,
      links: document.querySelectorAll('a[href], [src^="javascript"], [href^="javascript"]').length,
      href: location.href,
    }));
    assert.deepEqual({ pwned: state.pwned, links: state.links }, { pwned: undefined, links: 0 });
    assert.doesNotMatch(state.href, /javascript/);
    assert.equal(await h.page.textContent('[data-task-id="1"] .name'), JS_URL);
    const lone = (await h.page.textContent('[data-task-id="2"] .name')) ?? '';
    assert.match(lone, /^half.*pair.*end$/);
    // The click hands the path to the extension unchanged; the extension opens only files the program reported
    // as local files (src/shared/reported-files.ts, src/extension/locationPath.ts), and a javascript: URL is not one.
    assert.deepEqual((await h.posted()).at(-1), { type: 'openLocation', file: JS_URL, line: 1 });
    assert.deepEqual(await h.problems(), []);
  });

  it('makes control and bidi characters visible instead of interpreting them', async () => {
    await h.send(reset(), deltaMsg(delta(1, [task('1', { name: CONTROL })])));
    await h.settle();
    const name = (await h.page.textContent('[data-task-id="1"] .name')) ?? '';
    assert.equal(name, 'tick\\0tock\\nnext\\x1b[31mred\\u202eevil\\u2066x\\x7f');
    assert.doesNotMatch(name, /[\u0000-\u001f\u202e\u2066]/);
    await h.screenshot('webview-hostile');
  });
});
