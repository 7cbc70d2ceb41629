/**
 * Saved-session fuzzing, short version (bench/fuzz/sessions.ts runs more): mutated reports through Open
 * Session's vscode-free steps (parse, view messages, rows in each grouping, trace, save again): each one
 * refused with a message or shown, nothing thrown, no step that hangs.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { fuzzSessions } from '../../bench/fuzz/sessions';
import { parseReport } from '../../src/extension/sessionFiles';

test('2,000 mutated saved sessions: refused with a message or shown, 0 crashes, no hang', () => {
  const seed = Number(process.env.FUZZ_SEED ?? 16);
  const f = fuzzSessions(2000, seed);
  assert.equal(f.crashes, 0, `seed ${seed}: ${f.firstCrash}`);
  assert.ok(f.refused > 100 && f.shown > 100, JSON.stringify(f));
  assert.ok(f.slowestMs < 10_000, `a file took ${f.slowestMs} ms`);
  console.log(`sessions fuzz: ${JSON.stringify(f)}`);
});

test('a saved report keeps its refused-connections count', () => {
  const parsed = parseReport(JSON.stringify({ schema: 1, runtime: 'node', command: ['x'], tasks: [], flags: [], rejectedConnections: 4 }));
  assert.ok(parsed.ok && parsed.report.rejectedConnections === 4);
});
