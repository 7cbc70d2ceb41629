/**
 * Live updates in a real browser never move the row under the pointer (as VS Code's own trees): with the
 * mouse resting on a row, a stream of inserts above it (new running tasks, a Flags section appearing at
 * the top) leaves that row under the pointer, and the click lands on it. Scrolled or not.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TaskView } from '../../src/model/types';
import { BROWSER_SKIP, openView, type Harness } from './harness';
import { delta, deltaMsg, reset, task } from './sessions';

/** The task row at a point of the page, as the browser hit-tests it. */
const taskAt = (h: Harness, x: number, y: number): Promise<string | null> =>
  h.page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.closest('[data-task-id]')?.getAttribute('data-task-id') ?? null, { x, y });

describe('the row under the pointer stays still', { skip: BROWSER_SKIP }, () => {
  let h: Harness;
  before(async () => {
    h = await openView({ height: 640 });
  });
  after(async () => {
    await h?.close();
  });

  for (const scrolled of [false, true]) {
    it(`while inserts stream in above it (${scrolled ? 'scrolled down' : 'at the top'})`, async () => {
      const base: TaskView[] = [task('1', { name: 'main' })];
      for (let i = 2; i <= 40; i++) base.push(task(String(i), { name: i === 20 ? 'consumer' : `worker${i}`, parent: '1' }));
      await h.send(reset(), deltaMsg(delta(1, base)));
      await h.settle();
      if (scrolled) {
        await h.page.$eval('[data-testid="task-tree"]', (el) => {
          el.scrollTop = 120;
        });
        await h.settle();
      }
      const box = (await h.page.locator('[data-task-id="20"] .name').boundingBox())!;
      const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
      await h.page.mouse.move(x, y);
      assert.equal(await taskAt(h, x, y), '20');

      let next = 100;
      for (let seq = 2; seq < 14; seq++) {
        const added = [task(String(next++), { name: `new${next}`, state: 'running' }), task(String(next++), { name: `new${next}`, state: 'running' })];
        const flags = seq >= 6 ? [{ id: `f${seq}`, kind: 'never-awaited', message: `flag ${seq}`, location: null, task: null, t: seq }] : [];
        await h.send(deltaMsg(delta(seq, added, { flags, counts: { queued: 0, pending: 40, running: 2 * (seq - 1), done: 0, failed: 0, cancelled: 0 } })));
        await h.settle();
        assert.equal(await taskAt(h, x, y), '20', `after delta ${seq} the pointer is still on consumer`);
      }
      await h.page.mouse.click(x, y);
      const posted = await h.posted();
      assert.deepEqual(posted[posted.length - 1], { type: 'openLocation', file: '/work/app/app.js', line: 20 });
      await h.screenshot(`webview-hover-still-${scrolled ? 'scrolled' : 'top'}`);
      // Once the pointer leaves, the blank room it needed goes away: the tree is as tall as its rows.
      await h.page.mouse.move(5, 5);
      await h.settle();
      const { canvas, rows } = await h.page.$eval('[data-testid="task-tree"]', (el) => ({
        canvas: (el.querySelector('.tree-canvas') as HTMLElement).offsetHeight, rows: el.querySelectorAll('[role="treeitem"]:not([hidden])').length,
      }));
      // Flags (8) and their section, running (24) and pending (40) with theirs: 75 rows, no blank room.
      assert.equal(canvas, 75 * 22, `canvas ${canvas} px (${rows} rows on screen)`);
      assert.deepEqual(await h.problems(), []);
    });
  }
});
