import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { ModelDelta } from '../../src/model/types';
import { fixture, launch, startAdapter, text, type Recording } from './harness';

const clients: DebugClient[] = [];
after(() => Promise.all(clients.map((dc) => dc.stop())));

async function run(program: string): Promise<{ rec: Recording; launchedAt: number }> {
  const dc = await startAdapter();
  clients.push(dc);
  const launchedAt = performance.now();
  const rec = await launch(dc, { program: fixture(program) });
  await rec.terminated;
  return { rec, launchedAt };
}

/**
 * At most one delta per 50 ms window, plus the first and the final flush. Counted over the whole time the
 * adapter could have sent them (launch → last delta received), not between the first and last arrival: on a
 * loaded machine deltas sent 50 ms apart may arrive together, and that is not a throttling failure.
 */
function assertThrottled(rec: Recording, launchedAt: number): number {
  const spanSec = (rec.deltas.at(-1)!.at - launchedAt) / 1000;
  assert.ok(rec.deltas.length <= Math.ceil(spanSec * 20) + 2, `${rec.deltas.length} deltas in ${spanSec.toFixed(2)} s`);
  return spanSec;
}

/** The view updated while the program ran: some delta before the last shows part of the final count. */
function assertUpdatedMidway(rec: Recording, count: (d: ModelDelta) => number): void {
  const final = count(rec.deltas.at(-1)!.delta);
  const midway = rec.deltas.slice(0, -1).map((d) => count(d.delta)).filter((n) => n > 0 && n < final);
  assert.ok(midway.length > 0, `no delta between the first and the last showed progress (${rec.deltas.length} deltas, final ${final})`);
}

test('thousands of agent batches a second reach the UI as at most ~20 deltas a second, with nothing lost', async () => {
  const { rec, launchedAt } = await run('channel-flood.js');
  const sent = /sent (\d+) batches, (\d+) tasks in (\d+) ms/.exec(text(rec, 'stdout'));
  assert.ok(sent, `fixture output: ${text(rec, 'stdout')}${text(rec, 'stderr')}`);
  const [batches, tasks, ms] = sent.slice(1).map(Number);
  // Relative, not a rate floor (a loaded machine runs the fixture slower): far more batches than deltas.
  assert.ok(batches >= 5 * rec.deltas.length, `${batches} batches for ${rec.deltas.length} deltas: not a flood`);

  const spanSec = assertThrottled(rec, launchedAt);
  assertUpdatedMidway(rec, (d) => d.counts.done);
  console.log(`${batches} batches in ${ms} ms → ${rec.deltas.length} deltas over ${spanSec.toFixed(2)} s`);
  // Every flooded task ends up counted as done: throttling coalesces, it never drops.
  const last = rec.deltas.at(-1)!.delta;
  assert.ok(last.counts.done >= tasks, `counted ${last.counts.done} done tasks for ${tasks} sent`);
  assert.deepEqual(last.counts, rec.ended[0].report.counts);
});

test('a program making thousands of promises a second: deltas stay throttled and counts match the report', async () => {
  const { rec, launchedAt } = await run('storm.js');
  const made = Number(/made (\d+)/.exec(text(rec, 'stdout'))?.[1]);
  assert.ok(made >= 10 * rec.deltas.length, `the fixture made only ${made} promises for ${rec.deltas.length} deltas`);
  const spanSec = assertThrottled(rec, launchedAt);
  assertUpdatedMidway(rec, (d) => Object.values(d.counts).reduce((a, b) => a + b, 0));
  console.log(`${made} promises → ${rec.deltas.length} deltas over ${spanSec.toFixed(2)} s`);
  const last = rec.deltas.at(-1)!.delta;
  assert.deepEqual(last.counts, rec.ended[0].report.counts);
  const total = Object.values(last.counts).reduce((a, b) => a + b, 0);
  assert.ok(total >= made, `the model counted ${total} tasks for ${made} promises`);
});
