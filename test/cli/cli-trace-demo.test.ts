import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, root, runCli, tempFile } from './helpers';

test('--trace writes a Chrome trace with a slice per task, in microseconds, on named tracks', async () => {
  const trace = tempFile('trace.json');
  const r = await runCli(['run', '--trace', trace, '--', 'node', fixture('tasks.js')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /Trace: .*trace\.json \(open it in https:\/\/ui\.perfetto\.dev\)/);
  const { traceEvents } = JSON.parse(readFileSync(trace, 'utf8')) as { traceEvents: Array<Record<string, any>> };
  const begins = traceEvents.filter((e) => e.ph === 'b' && e.name === 'fetchUser');
  assert.equal(begins.length, 3);
  for (const b of begins) {
    const end = traceEvents.find((e) => e.ph === 'e' && e.id === b.id)!;
    assert.ok(end.ts - b.ts >= 140_000, 'fetchUser sleeps 150 ms = 150,000 µs');
    assert.equal(end.args.state, 'done');
  }
  assert.ok(traceEvents.some((e) => e.ph === 'M' && e.name === 'process_name'));
  assert.ok(traceEvents.some((e) => e.ph === 'M' && e.name === 'thread_name'));
});

test('npm run demo’s script traces every example and prints its task tree', () => {
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'demo.mjs')], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  for (const example of ['fanout.js', 'never-settles.js']) assert.match(r.stdout, new RegExp(`async-inspector run -- node examples/node/${example}`));
  const summaries = (r.stdout + r.stderr).match(/── Async Inspector/g) ?? [];
  assert.ok(summaries.length >= 4, `${summaries.length} summaries`);
  assert.match(r.stdout + r.stderr, /pending-at-exit\s+examples\/node\/never-settles\.js:9/);
  assert.match(r.stdout, /Traced \d+ examples/);
});
