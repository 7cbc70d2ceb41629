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
