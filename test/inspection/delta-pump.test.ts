import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DeltaPump, type PumpTimers } from '../../src/inspection/delta-pump';

/** A stand-in for the model: counts changes, hands them out as one delta per take(). */
function changeCounter() {
  let pending = 0;
  return {
    change(n = 1) { pending += n; },
    take(): number | null {
      if (pending === 0) return null;
      const d = pending;
      pending = 0;
      return d;
    },
  };
}

/**
 * An injected clock: time moves only when the test says so, so the counts below are exact on any machine
 * (a real 600 ms storm on a loaded machine gets fewer, later timer turns than the interval allows).
 */
function fakeTimers() {
  let now = 0;
  let next = 1;
  const due = new Map<number, { at: number; fn: () => void }>();
  const timers: PumpTimers = {
    now: () => now,
    setTimeout: (fn, ms) => { due.set(next, { at: now + ms, fn }); return next++; },
    clearTimeout: (handle) => { due.delete(handle as number); },
  };
  /** Moves the clock to `to`, running every timer due by then at its own time. */
  const advance = (to: number) => {
    for (;;) {
      const [id, t] = [...due].filter(([, x]) => x.at <= to).sort((a, b) => a[1].at - b[1].at)[0] ?? [];
      if (!t) break;
      due.delete(id!);
      now = t.at;
      t.fn();
    }
    now = to;
  };
  return { timers, advance, pending: () => due.size };
}

test('a storm of changes for 600 ms gives one send per 50 ms and loses nothing', () => {
  const counter = changeCounter();
  const { timers, advance } = fakeTimers();
  const sends: { at: number; n: number }[] = [];
  const pump = new DeltaPump(counter.take, (n) => sends.push({ at: timers.now(), n }), 50, timers);
  let made = 0;
  for (let t = 0; t < 600; t++) {
    for (let i = 0; i < 20; i++) { counter.change(); made++; pump.poke(); }
    advance(t + 1);
  }
  pump.flush();
  assert.equal(sends.reduce((s, d) => s + d.n, 0), made, 'every change is carried by some delta');
  // The first change goes at once (t=0), then one per 50 ms up to t=600; the flush finds nothing left.
  assert.deepEqual(sends.map((s) => s.at), Array.from({ length: 13 }, (_, i) => i * 50));
  pump.stop();
});

test('a single change is sent promptly, not after a full interval', () => {
  const counter = changeCounter();
  const { timers, advance } = fakeTimers();
  const sent: number[] = [];
  const pump = new DeltaPump(counter.take, (n) => sent.push(n), 1000, timers);
  counter.change();
  pump.poke();
  advance(0); // due at once: no time has to pass
  assert.deepEqual(sent, [1]);
  counter.change();
  pump.poke();
  advance(999);
  assert.deepEqual(sent, [1], 'the next one waits for the interval');
  advance(1000);
  assert.deepEqual(sent, [1, 1]);
  pump.stop();
});

test('flush sends the last change at once, even inside the interval, and nothing when idle', () => {
  const counter = changeCounter();
  const { timers, advance, pending } = fakeTimers();
  const sent: number[] = [];
  const pump = new DeltaPump(counter.take, (n) => sent.push(n), 10_000, timers);
  counter.change(); pump.poke();
  advance(5);
  counter.change(3); pump.poke();   // throttled: would wait ~10 s
  pump.flush();
  assert.deepEqual(sent, [1, 3]);
  assert.equal(pending(), 0, 'flush cancels the throttled send');
  pump.flush();
  assert.deepEqual(sent, [1, 3], 'no empty delta when nothing changed');
  pump.stop();
});

test('after stop nothing more is sent', () => {
  const counter = changeCounter();
  const { timers, advance, pending } = fakeTimers();
  const sent: number[] = [];
  const pump = new DeltaPump(counter.take, (n) => sent.push(n), 50, timers);
  counter.change(); pump.poke();
  pump.stop();
  assert.equal(pending(), 0);
  advance(80);
  pump.poke(); pump.flush();
  advance(200);
  assert.deepEqual(sent, []);
});

test('with real timers a storm is still throttled and complete', async () => {
  // The real clock, with bounds a loaded machine keeps: at most one send per interval (the pump's own
  // guarantee, so no lower bound on how many sends a slow machine gets; 45, as a timer may fire up to a
  // millisecond or so early by performance.now()), and every change delivered.
  const counter = changeCounter();
  const sends: number[] = [];
  const pump = new DeltaPump(counter.take, () => sends.push(performance.now()));
  let made = 0;
  const until = performance.now() + 300;
  while (performance.now() < until) {
    for (let i = 0; i < 200; i++) { counter.change(); made++; pump.poke(); }
    await new Promise((r) => setImmediate(r));
  }
  const sentBefore = sends.length;
  pump.flush();
  for (let i = 1; i < sentBefore; i++) assert.ok(sends[i] - sends[i - 1] >= 45, `sends ${i - 1}, ${i}: ${sends[i] - sends[i - 1]} ms apart`);
  assert.ok(sends.length >= 2, 'the first change goes at once and the flush carries the rest');
  assert.equal(counter.take(), null);
  assert.ok(made > 0);
  pump.stop();
});
