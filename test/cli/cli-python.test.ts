import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readReport, root, runCli, tempFile } from './helpers';

const hasPython = spawnSync('python3', ['--version']).status === 0;

test('the CLI runs a Python asyncio program with its agent and reports its tasks', { skip: !hasPython && 'python3 not found' }, async () => {
  const script = join(root, 'examples', 'python', 'create_task.py');
  const json = tempFile('report.json');
  const r = await runCli(['run', '--json', json, '--', 'python3', script]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'world\nhello\n');
  const report = readReport(json);
  assert.equal(report.runtime, 'python');
  const main = report.tasks.find((t) => t.name === 'main');
  assert.ok(main, JSON.stringify(report.tasks.map((t) => t.name)));
  const hello = report.tasks.find((t) => t.name.startsWith('say-hello'))!;
  const world = report.tasks.find((t) => t.name.startsWith('say-world'))!;
  assert.equal(hello.parent, main.id);
  assert.equal(world.parent, main.id);
  assert.equal(hello.created?.line, 13);
  assert.ok(world.endedAt! < hello.endedAt!, 'world finishes first');
  assert.match(r.stderr, /say-hello.*create_task\.py:13/);
});

test('--block-threshold reaches the agent: a 300 ms stall is flagged at 100 ms, not at 1000 ms', { skip: !hasPython && 'python3 not found' }, async () => {
  const script = join(__dirname, 'fixtures', 'block.py');
  const flagged = tempFile('a.json');
  const quiet = tempFile('b.json');
  const [a, b] = await Promise.all([
    runCli(['run', '--json', flagged, '--fail-on', 'blocking-call', '--', 'python3', script]),
    runCli(['run', '--json', quiet, '--block-threshold', '1000', '--fail-on', 'blocking-call', '--', 'python3', script]),
  ]);
  assert.equal(a.code, 1, a.stderr);
  const [flag] = readReport(flagged).flags.filter((f) => f.kind === 'blocking-call');
  assert.equal(flag.location?.file, script);
  assert.equal(flag.location?.line, 7);
  assert.match(a.stderr, /blocking-call\s+.*block\.py:7/);
  assert.equal(b.code, 0, b.stderr);
  assert.deepEqual(readReport(quiet).flags.filter((f) => f.kind === 'blocking-call'), []);
});
