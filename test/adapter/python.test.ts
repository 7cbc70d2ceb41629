import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { TaskProgress, TaskView } from '../../src/model/types';
import { pyenvRoot } from '../cli/pythons';
import { distDir, fixture, isAlive, launch, startAdapter, text } from './harness';

const agentBuilt = existsSync(join(distDir, 'python/async_inspector/__main__.py'));
const hasPython = spawnSync('python3', ['--version']).status === 0;
const skip = !hasPython ? 'python3 is not installed' : !agentBuilt ? `no Python agent in ${distDir}` : false;

const clients: DebugClient[] = [];
after(() => Promise.all(clients.map((dc) => dc.stop())));

test('a Python asyncio program: session, a task pending then done, output, exit code', { skip }, async () => {
  const dc = await startAdapter();
  clients.push(dc);
  const rec = await launch(dc, { program: fixture('tasks.py') });
  await rec.terminated;
  assert.equal(rec.sessions[0]?.runtime, 'python');
  const seen = rec.deltas.flatMap(({ delta }) => [...delta.upserts, ...(delta.progress ?? [])].filter((t: TaskView | TaskProgress) => t.name === 'slow_step').map((t) => t.state));
  assert.ok(seen.includes('pending'), `slow_step states seen: ${seen.join(',')}`);
  assert.equal(seen.at(-1), 'done');
  assert.equal(text(rec, 'stdout'), 'out 1\nout 2 ok\n');
  assert.equal(text(rec, 'stderr'), 'err 1\nerr 2\n');
  assert.deepEqual(rec.exited, [3]);
  assert.equal(rec.ended[0].report.runtime, 'python');
  assert.ok(rec.ended[0].report.tasks.some((t) => t.name === 'slow_step' && t.state === 'done'));
});

test('an explicit interpreter (runtimeExecutable) is used, and terminate stops an endless asyncio program', { skip }, async () => {
  const dc = await startAdapter();
  clients.push(dc);
  const python = otherPython() ?? 'python3';
  const rec = await launch(dc, { program: fixture('forever.py'), runtimeExecutable: python });
  let pid = 0;
  for (let i = 0; i < 500 && !pid; i++, await sleep(20)) pid = Number(/pid=(\d+)/.exec(text(rec, 'stdout'))?.[1] ?? 0);
  assert.ok(pid > 0, `no pid printed; stderr: ${text(rec, 'stderr')}`);
  assert.equal(rec.sessions[0]?.command[0], python);
  await dc.terminateRequest();
  await rec.terminated;
  assert.equal(isAlive(pid), false);
});

/** An installed CPython ≥ 3.9 by absolute path (a pyenv version), standing in for a virtualenv interpreter. */
function otherPython(): string | undefined {
  const root = join(pyenvRoot(), 'versions');
  if (!existsSync(root)) return undefined;
  const supported = readdirSync(root).filter((v) => /^3\.(9|[1-9]\d)\./.test(v)).sort();
  return supported.map((v) => join(root, v, 'bin/python3')).find(existsSync);
}
