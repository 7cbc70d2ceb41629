/** The view's clock: live durations grow while the program runs, stand still at a debugger stop, go on at continue. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SessionStore } from '../../src/shared/store';
import { ViewClock } from '../../src/webview/clock';
import type { SessionMessage } from '../../src/shared/messages';
import type { ModelDelta } from '../../src/model/types';
import { emptyCounts } from '../../src/model/counts';

const session = { runtime: 'node' as const, command: ['node', 'app.js'], startEpochMs: 1 };
const delta = (seq: number, now: number): ModelDelta => ({
  seq, reset: false, upserts: [], removed: [], flags: [], retractedFlags: [], loops: [], counts: emptyCounts(), retired: 0, dropped: 0, now,
});

function setup(): { clock: ViewClock; send: (msg: SessionMessage, real: number) => void } {
  const store = new SessionStore();
  const clock = new ViewClock(store);
  const send = (msg: SessionMessage, real: number): void => {
    assert.equal(store.apply(msg), 'applied');
    clock.applied(real, msg.type === 'delta' || msg.type === 'reset');
  };
  return { clock, send };
}

test('the clock runs in real time from the last delta while the program runs', () => {
  const { clock, send } = setup();
  send({ type: 'reset', session }, 10_000);
  assert.equal(clock.now(10_250), 250, 'a new session starts its clock at 0 when it is announced');
  send({ type: 'delta', delta: delta(0, 500) }, 10_400);
  assert.equal(clock.now(11_400), 1500);
  assert.equal(clock.stopped, false);
});

test('a debugger stop freezes the clock until continue; then it runs from the real time again', () => {
  const { clock, send } = setup();
  send({ type: 'reset', session }, 0);
  send({ type: 'delta', delta: delta(0, 1000) }, 1000);
  send({ type: 'paused', paused: { task: '3', file: '/w/app.js', line: 4 } }, 1200);
  assert.equal(clock.stopped, true);
  assert.equal(clock.now(1200), 1200, 'frozen at the stop');
  assert.equal(clock.now(60_000), 1200, 'a minute at the breakpoint: durations do not grow');
  // The flush at the stop (a delta stamped at the stop) and a step (another stop) keep it frozen.
  send({ type: 'delta', delta: delta(1, 1150) }, 1300);
  assert.equal(clock.now(30_000), 1200, 'a delta from before the freeze does not move it back');
  send({ type: 'paused', paused: { task: '3', file: '/w/app.js', line: 5 } }, 2000);
  assert.equal(clock.now(40_000), 1200, 'still stopped');
  send({ type: 'paused', paused: null }, 61_000);
  assert.equal(clock.stopped, false);
  assert.equal(clock.now(61_000), 61_000 - 1300 + 1150, 'continued: the real clock of the program, which went on during the stop');
  assert.ok(clock.now(62_000) > clock.now(61_000), 'and it runs again');
});

test('a stop then the end: the clock shows the end, and a new session clears the stop', () => {
  const { clock, send } = setup();
  send({ type: 'reset', session }, 0);
  send({ type: 'paused', paused: { task: null } }, 100);
  send({ type: 'delta', delta: delta(0, 900) }, 200);
  assert.equal(clock.now(5000), 900, 'a delta later than the freeze wins (the program said so)');
  send({ type: 'ended', exitCode: 0, signal: null }, 5000);
  assert.equal(clock.now(9000), 900);
  assert.equal(clock.stopped, false);
  send({ type: 'reset', session }, 10_000);
  assert.equal(clock.now(10_100), 100);
});
