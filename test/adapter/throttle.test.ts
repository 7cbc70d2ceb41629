import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { fixture, launch, startAdapter, text, type Recording } from './harness';

const clients: DebugClient[] = [];
after(() => Promise.all(clients.map((dc) => dc.stop())));

async function run(program: string): Promise<Recording> {
  const dc = await startAdapter();
  clients.push(dc);
  const rec = await launch(dc, { program: fixture(program) });
  await rec.terminated;
  return rec;
}

/** At most one delta per 50 ms window; the final flush may follow the previous delta closely. */
function assertThrottled(rec: Recording): number {
  const times = rec.deltas.map((d) => d.at);
  const spanSec = (times.at(-1)! - times[0]) / 1000;
  assert.ok(rec.deltas.length - 1 <= Math.ceil(spanSec * 20) + 1, `${rec.deltas.length} deltas in ${spanSec.toFixed(2)} s`);
  return spanSec;
}

test('thousands of agent batches a second reach the UI as at most ~20 deltas a second, with nothing lost', async () => {
  const rec = await run('channel-flood.js');
  const sent = /sent (\d+) batches, (\d+) tasks in (\d+) ms/.exec(text(rec, 'stdout'));
  assert.ok(sent, `fixture output: ${text(rec, 'stdout')}${text(rec, 'stderr')}`);
  const [batches, tasks, ms] = sent.slice(1).map(Number);
  assert.ok(batches / (ms / 1000) > 200, `the fixture sent only ${batches} batches in ${ms} ms: not a flood`);

  const spanSec = assertThrottled(rec);
  assert.ok(rec.deltas.length >= 8, `only ${rec.deltas.length} deltas: the view must keep updating during the flood`);
  console.log(`${batches} batches in ${ms} ms → ${rec.deltas.length} deltas over ${spanSec.toFixed(2)} s`);
  // Every flooded task ends up counted as done: throttling coalesces, it never drops.
  const last = rec.deltas.at(-1)!.delta;
  assert.ok(last.counts.done >= tasks, `counted ${last.counts.done} done tasks for ${tasks} sent`);
  assert.deepEqual(last.counts, rec.ended[0].report.counts);
});

test('a program making thousands of promises a second: deltas stay throttled and counts match the report', async () => {
  const rec = await run('storm.js');
  const made = Number(/made (\d+)/.exec(text(rec, 'stdout'))?.[1]);
  assert.ok(made >= 5000, `the fixture made only ${made} promises`);
  const spanSec = assertThrottled(rec);
  assert.ok(rec.deltas.length >= 5, `only ${rec.deltas.length} deltas: the view must update while the program runs`);
  console.log(`${made} promises → ${rec.deltas.length} deltas over ${spanSec.toFixed(2)} s`);
  const last = rec.deltas.at(-1)!.delta;
  assert.deepEqual(last.counts, rec.ended[0].report.counts);
  const total = Object.values(last.counts).reduce((a, b) => a + b, 0);
  assert.ok(total >= made, `the model counted ${total} tasks for ${made} promises`);
});
