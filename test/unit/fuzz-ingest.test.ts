/**
 * Decoder and model fuzzing, short version (the bench, bench/fuzz/run.ts, pushes 1M frames): random and
 * mutated frames of both runtimes from interleaved connections, split at random points, through the
 * launcher's LineDecoder and the model, with deltas, snapshots and the report: nothing thrown, no step that
 * hangs, the malformed input counted.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { fuzz } from '../../bench/fuzz/run';

test('50,000 random and mutated frames: 0 crashes, no hang, malformed input counted', () => {
  const seed = Number(process.env.FUZZ_SEED ?? 16);
  const f = fuzz(50_000, seed);
  assert.equal(f.crashes, 0, `seed ${seed}: ${f.firstCrash}`);
  assert.ok(f.slowestStepMs < 10_000, `seed ${seed}: a step took ${f.slowestStepMs} ms (${f.slowestStep})`);
  assert.ok(f.malformedLines > 1000 && f.malformedEvents > 1000, `malformed input counted: ${JSON.stringify(f)}`);
  assert.ok(f.heapMb < 1024, `heap ${f.heapMb} MB`);
  console.log(`fuzz: ${JSON.stringify(f)}`);
});
