import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fixture, readReport, runCli, startCli, tempFile } from './helpers';

test('the program’s output is forwarded unchanged and its exit code becomes ours', async () => {
  const json = tempFile('report.json');
  const r = await runCli(['run', '--json', json, '--', 'node', fixture('exit-code.js'), '7']);
  assert.equal(r.code, 7);
  assert.equal(r.stdout, 'out: héllo ✓\n', 'stdout holds exactly the program’s output');
  assert.ok(r.stderr.startsWith('err: line\n'), 'the program’s stderr comes first');
  assert.match(r.stderr, /exited with code 7/);
  const report = readReport(json);
  assert.equal(report.schema, 1);
  assert.equal(report.runtime, 'node');
  assert.deepEqual(report.command, ['node', fixture('exit-code.js'), '7']);
  assert.equal(report.exitCode, 7);
  assert.ok(report.durationMs > 0 && report.durationMs < 30_000);
  for (const key of ['droppedEvents', 'tasks', 'flags', 'counts'] as const) assert.ok(key in report, key);
});

test('--timeout stops a program that never ends and still writes the report and trace', async () => {
  const json = tempFile('report.json');
  const trace = tempFile('trace.json');
  const started = Date.now();
  const r = await runCli(['run', '--timeout', '1', '--json', json, '--trace', trace, '--', 'node', fixture('forever.js')]);
  const took = Date.now() - started;
  assert.equal(r.code, 143, 'killed by SIGTERM: 128 + 15');
  assert.ok(took >= 900 && took < 15_000, `took ${took} ms`);
  assert.match(r.stdout, /started/);
  assert.match(r.stderr, /--timeout 1s reached/);
  assert.match(r.stderr, /stopped by --timeout 1s/);
  const report = readReport(json);
  assert.equal(report.exitCode, 143);
  assert.equal(report.signal, 'SIGTERM');
  const traceJson = JSON.parse(readFileSync(trace, 'utf8'));
  assert.ok(Array.isArray(traceJson.traceEvents));
});

test('--timeout escalates to SIGKILL when the program ignores SIGTERM', async () => {
  const json = tempFile('report.json');
  // Long enough for a loaded machine to start node and install the handler first.
  const r = await runCli(['run', '--timeout', '2', '--json', json, '--', 'node', fixture('forever.js'), 'ignore-term']);
  assert.equal(r.code, 137, 'killed by SIGKILL: 128 + 9');
  assert.match(r.stdout, /ignoring SIGTERM/);
  assert.equal(readReport(json).signal, 'SIGKILL');
});

test('Ctrl-C (SIGINT) is forwarded to the program and the report is still written', async () => {
  const json = tempFile('report.json');
  const { child, done } = startCli(['run', '--json', json, '--', 'node', fixture('forever.js')]);
  await new Promise<void>((resolve) => {
    let out = '';
    child.stdout!.on('data', (d: string) => {
      out += d;
      if (out.includes('started')) resolve();
    });
  });
  child.kill('SIGINT');
  const r = await done;
  assert.equal(r.code, 130, 'killed by SIGINT: 128 + 2');
  assert.ok(existsSync(json));
  assert.equal(readReport(json).signal, 'SIGINT');
  assert.match(r.stderr, /killed by SIGINT/);
});

test('a report that cannot be written is a clear error (exit 2) after the summary', { skip: process.platform !== 'linux' && 'needs /dev/full' }, async () => {
  // /dev/full accepts the open and fails every write (ENOSPC), even for root.
  const r = await runCli(['run', '--json', '/dev/full', '--', 'node', fixture('exit-code.js'), '0']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /exited with code 0/);
  assert.match(r.stderr, /async-inspector: --json: could not write \/dev\/full: ENOSPC/);
  assert.doesNotMatch(r.stderr, /Report: \/dev\/full/);
});
