import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { fixture, launch, startAdapter, text } from './harness';

let dc: DebugClient | undefined;
after(() => dc?.stop());

test('a program making thousands of promises a second gets at most ~20 delta events per second, live', async () => {
  dc = await startAdapter();
  const rec = await launch(dc, { program: fixture('storm.js') });
  await rec.terminated;
  const made = Number(/made (\d+)/.exec(text(rec, 'stdout'))?.[1]);
  assert.ok(made >= 5000, `the fixture made only ${made} promises`);

  const times = rec.deltas.map((d) => d.at);
  const spanSec = (times.at(-1)! - times[0]) / 1000;
  const perSec = (rec.deltas.length - 1) / spanSec;
  console.log(`${made} promises → ${rec.deltas.length} deltas over ${spanSec.toFixed(2)} s (${perSec.toFixed(1)}/s)`);
  // The final flush may follow the previous delta closely; every other pair is one interval apart.
  assert.ok(rec.deltas.length - 1 <= Math.ceil(spanSec * 20) + 1, `${rec.deltas.length} deltas in ${spanSec.toFixed(2)} s`);
  assert.ok(rec.deltas.length >= 10, `only ${rec.deltas.length} deltas: the view must update while the program runs`);

  // Applying every delta in order gives the same totals as the final report: nothing was lost by throttling.
  const last = rec.deltas.at(-1)!.delta;
  const report = rec.ended[0].report;
  assert.deepEqual(last.counts, report.counts);
  const total = Object.values(report.counts).reduce((a, b) => a + b, 0);
  assert.ok(total >= made, `the model counted ${total} tasks for ${made} promises`);
});
