import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { DeltaPump } from '../../src/inspection/delta-pump';

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

test('a storm of changes for ~600 ms gives at most 20 sends per second and loses nothing', async () => {
  const counter = changeCounter();
  const sends: { at: number; n: number }[] = [];
  const pump = new DeltaPump(counter.take, (n) => sends.push({ at: performance.now(), n }));
  let made = 0;
  const until = performance.now() + 600;
  while (performance.now() < until) {
    for (let i = 0; i < 200; i++) { counter.change(); made++; pump.poke(); }
    await new Promise((r) => setImmediate(r));
  }
  pump.flush();
  assert.equal(sends.reduce((s, d) => s + d.n, 0), made, 'every change is carried by some delta');
  // 600 ms at one send per 50 ms is 12, plus the first immediate one and the final flush.
  assert.ok(sends.length <= 14, `sent ${sends.length} deltas in 600 ms`);
  assert.ok(sends.length >= 6, `sent only ${sends.length} deltas: the pump must keep updating during a storm`);
  for (let i = 1; i < sends.length - 1; i++) {
    assert.ok(sends[i].at - sends[i - 1].at >= 45, `sends ${i - 1} and ${i} only ${sends[i].at - sends[i - 1].at} ms apart`);
  }
  pump.stop();
});

test('a single change is sent promptly, not after a full interval', async () => {
  const counter = changeCounter();
  const sent: number[] = [];
  const pump = new DeltaPump(counter.take, (n) => sent.push(n), 1000);
  counter.change();
  pump.poke();
  await sleep(20);
  assert.deepEqual(sent, [1]);
  pump.stop();
});

test('flush sends the last change at once, even inside the interval, and nothing when idle', async () => {
  const counter = changeCounter();
  const sent: number[] = [];
  const pump = new DeltaPump(counter.take, (n) => sent.push(n), 10_000);
  counter.change(); pump.poke();
  await sleep(5);
  counter.change(3); pump.poke();   // throttled: would wait ~10 s
  pump.flush();
  assert.deepEqual(sent, [1, 3]);
  pump.flush();
  assert.deepEqual(sent, [1, 3], 'no empty delta when nothing changed');
  pump.stop();
});

test('after stop nothing more is sent', async () => {
  const counter = changeCounter();
  const sent: number[] = [];
  const pump = new DeltaPump(counter.take, (n) => sent.push(n));
  counter.change(); pump.poke();
  pump.stop();
  await sleep(80);
  pump.poke(); pump.flush();
  assert.deepEqual(sent, []);
});
