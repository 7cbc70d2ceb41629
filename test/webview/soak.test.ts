/**
 * A short soak (the long one is `npx tsx bench/soak/run.ts`): a traced node:http server and a traced aiohttp
 * server under steady loopback load, through the Inspection and into the real webview. Memory must level off
 * once retention is full, no request's tasks may go missing (tasks per request stay the same in every window),
 * and nothing is dropped or broken on the way.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { soak, type SoakResult } from '../../bench/soak/soak';
import { BROWSER_SKIP } from './harness';

const ROOT = resolve(__dirname, '../..');
const RATE = 200;
const SAMPLE_MS = 4000;
const DURATION_MS = 28_000;

function venvPython(): string {
  return join(execFileSync('bash', [join(ROOT, 'scripts/python-env.sh')], { encoding: 'utf8' }).trim().split('\n').pop()!, 'bin', 'python');
}

function assertSteady(r: SoakResult, label: string): void {
  const s = r.samples;
  const detail = `${label}: ${JSON.stringify(s)}`;
  assert.ok(s.length >= 5, detail);
  assert.equal(r.loadErrors, 0, detail);
  assert.equal(r.droppedEvents, 0, detail);
  assert.deepEqual(r.agentErrors, [], detail);
  assert.deepEqual(r.viewProblems, [], detail);
  assert.equal(r.end.exitCode, 0, `${detail} (the server exits 0 on SIGTERM)`);
  assert.ok(r.served >= RATE * (DURATION_MS / 1000) * 0.7, `${label}: served ${r.served}`);
  // The requests of the first half and of the second half brought as many tasks each into the model: none
  // silently lost. (Halves, not windows: the model's count lags the load's window by a flush or two.)
  const perRequest = (a: number, b: number): number =>
    (s[b].tasksCounted - s[a].tasksCounted) / Math.max(1, s.slice(a + 1, b + 1).reduce((n, x) => n + (x.rps * SAMPLE_MS) / 1000, 0));
  const mid = Math.floor(s.length / 2);
  const [first, second] = [perRequest(0, mid), perRequest(mid, s.length - 1)];
  assert.ok(first >= 0.9, `${label}: ${first} tasks per request`);
  assert.ok(Math.abs(second / first - 1) < 0.15, `${label}: tasks per request ${first} then ${second}: ${detail}`);
  // Retention (300 finished tasks) is full after the first window: from then on memory stays level.
  const grows = (f: (x: (typeof s)[number]) => number): number => Math.max(...s.slice(2).map(f)) - f(s[1]);
  assert.ok(grows((x) => x.hostHeapMb) < 12, `${label}: host heap grew ${grows((x) => x.hostHeapMb)} MB: ${detail}`);
  assert.ok(grows((x) => x.webviewHeapMb) < 6, `${label}: webview heap grew ${grows((x) => x.webviewHeapMb)} MB: ${detail}`);
  assert.ok(grows((x) => x.webviewDomNodes) < 200, `${label}: webview DOM grew: ${detail}`);
  assert.ok(grows((x) => x.agentRssMb) < 40, `${label}: agent RSS grew ${grows((x) => x.agentRssMb)} MB: ${detail}`);
}

describe('soak (short)', { skip: BROWSER_SKIP, timeout: 120_000 }, () => {
  it('a traced node:http server under steady load: memory level, no task lost, nothing dropped', { timeout: 90_000 }, async () => {
    const r = await soak({ runtime: 'node', durationMs: DURATION_MS, sampleMs: SAMPLE_MS, rate: RATE, maxFinishedTasks: 300 });
    assertSteady(r, 'node');
  });

  it('a traced aiohttp server under steady load: memory level, no task lost, nothing dropped', { timeout: 90_000 }, async () => {
    const r = await soak({ runtime: 'python', python: venvPython(), durationMs: DURATION_MS, sampleMs: SAMPLE_MS, rate: RATE, maxFinishedTasks: 300 });
    assertSteady(r, 'python');
  });
});
