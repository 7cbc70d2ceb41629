/**
 * A debugger stop in a real browser: the live durations of the tree stand still while the program is held
 * (nothing in it moves), and go on at continue.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { BROWSER_SKIP, openView, type Harness } from './harness';
import { rows } from './rowsShown';
import { delta, deltaMsg, reset, task } from './sessions';

describe('paused clock', { skip: BROWSER_SKIP }, () => {
  let h: Harness;
  before(async () => {
    h = await openView();
  });
  after(async () => {
    await h?.close();
  });

  const durationOf = async (id: string): Promise<string> => {
    await h.settle();
    return (await rows(h)).find((r) => r.id === id)?.dur ?? '(no row)';
  };
  /** Waits until the row's duration differs from `from` (the view ticks once a second), or the deadline. */
  const changes = async (id: string, from: string, ms: number): Promise<string> => {
    const deadline = Date.now() + ms;
    let now = await durationOf(id);
    while (now === from && Date.now() < deadline) {
      await sleep(200);
      now = await durationOf(id);
    }
    return now;
  };

  it('durations grow while the program runs, stand still at a stop, and grow again at continue', async () => {
    await h.send(reset(), deltaMsg(delta(1, [task('1', { createdAt: 0 })], { now: 0 })));
    const first = await durationOf('1');
    const running = await changes('1', first, 8000);
    assert.notEqual(running, first, 'running: the pending task\'s duration grows with no delta');
    await h.send({ type: 'paused', paused: { task: '1', file: '/work/app/app.js', line: 1 } });
    const atStop = await durationOf('1');
    await sleep(3500);
    assert.equal(await durationOf('1'), atStop, 'paused: three ticks later the duration is the same');
    await h.send({ type: 'paused', paused: null });
    assert.notEqual(await changes('1', atStop, 8000), atStop, 'continued: it grows again');
  });
});
