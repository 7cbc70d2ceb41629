import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { resolveLaunchArgs, type LaunchPlan } from '../../src/adapter/launch-args';

const dir = mkdtempSync(join(tmpdir(), 'ai-launch-args-'));
for (const f of ['app.js', 'app.mjs', 'app.cjs', 'app.py', 'script.txt']) writeFileSync(join(dir, f), '');
mkdirSync(join(dir, 'sub'));
const base = { cwd: dir, env: process.env };

function plan(args: Record<string, unknown>): LaunchPlan {
  const r = resolveLaunchArgs(args, base);
  if (!r.ok) assert.fail(`unexpected error: ${r.error}`);
  return r.plan;
}
function error(args: unknown): string {
  const r = resolveLaunchArgs(args, base);
  if (r.ok) assert.fail(`expected an error for ${JSON.stringify(args)}`);
  return r.error;
}

test('node programs: runtime from the extension, runtimeArgs before the program, args after', () => {
  for (const f of ['app.js', 'app.mjs', 'app.cjs']) {
    const p = plan({ program: join(dir, f) });
    assert.equal(p.runtime, 'node');
    assert.deepEqual(p.command, ['node', join(dir, f)]);
  }
  const p = plan({ program: join(dir, 'app.js'), runtimeArgs: ['--max-old-space-size=100'], args: ['a b', '--x'] });
  assert.deepEqual(p.command, ['node', '--max-old-space-size=100', join(dir, 'app.js'), 'a b', '--x']);
  assert.equal(p.cwd, dir, 'cwd defaults to the program folder');
});

test('python programs default to python3; runtime and runtimeExecutable override', () => {
  const p = plan({ program: join(dir, 'app.py'), args: ['1'] });
  assert.equal(p.runtime, 'python');
  assert.deepEqual(p.command, ['python3', join(dir, 'app.py'), '1']);
  const forced = plan({ program: join(dir, 'script.txt'), runtime: 'python', runtimeExecutable: process.execPath });
  assert.equal(forced.runtime, 'python');
  assert.equal(forced.command[0], process.execPath);
  assert.equal(plan({ program: join(dir, 'script.txt'), runtimeExecutable: 'node' }).runtime, 'node');
});

test('a relative program is found from cwd', () => {
  const p = plan({ program: 'app.js', cwd: dir });
  assert.equal(p.program, join(dir, 'app.js'));
});

test('missing or wrong program: the message names the path', () => {
  assert.match(error({ program: join(dir, 'nope.js') }), new RegExp(`program not found: ${join(dir, 'nope.js')}`));
  assert.match(error({ program: 'nope.py', cwd: dir }), /program not found: .*nope\.py/);
  assert.match(error({ program: join(dir, 'sub') }), /is a folder/);
  assert.match(error({}), /no "program"/);
  assert.match(error(undefined), /no "program"/);
  assert.match(error({ program: 42 }), /"program" must be a string/);
  assert.match(error({ program: join(dir, 'script.txt') }), /set "runtime"/);
  assert.match(error({ program: join(dir, 'app.js'), runtime: 'ruby' }), /"runtime" must be "node" or "python"/);
  assert.match(error({ program: 'app.js', cwd: join(dir, 'gone') }), /cwd not found: .*gone/);
});

test('a bad runtimeExecutable is refused clearly, a real path or PATH name is accepted', () => {
  assert.equal(error({ program: join(dir, 'app.js'), runtimeExecutable: 'no-such-node-xyz' }), 'runtime not found: no-such-node-xyz');
  assert.equal(error({ program: join(dir, 'app.js'), runtimeExecutable: '/opt/none/node' }), 'runtime not found: /opt/none/node');
  // A file that exists but is not executable is not a runtime either.
  const notExe = join(dir, 'fake-node');
  writeFileSync(notExe, '');
  chmodSync(notExe, 0o644);
  assert.match(error({ program: join(dir, 'app.js'), runtimeExecutable: notExe }), /runtime not found/);
  // The program's own PATH (from env) is searched.
  assert.match(error({ program: join(dir, 'app.js'), env: { PATH: join(dir, 'sub') } }), /runtime not found: node/);
  assert.equal(plan({ program: join(dir, 'app.js'), runtimeExecutable: process.execPath }).command[0], process.execPath);
});

test('env adds and removes variables on top of the inherited environment', () => {
  const p = plan({ program: join(dir, 'app.js'), env: { AI_NEW: 'x', AI_NUM: 3, HOME: null } });
  assert.equal(p.env.AI_NEW, 'x');
  assert.equal(p.env.AI_NUM, '3');
  assert.ok('HOME' in p.env && p.env.HOME === null, 'null removes the variable');
  assert.ok(!('PATH' in p.env), 'only the changes');
  assert.match(error({ program: join(dir, 'app.js'), env: { A: { b: 1 } } }), /"env\.A" must be a string or null/);
  assert.match(error({ program: join(dir, 'app.js'), env: ['A=1'] }), /"env" must be an object/);
  assert.match(error({ program: join(dir, 'app.js'), args: [{}] }), /"args" must be a list of strings/);
});

test('numbers: absurd values are clamped with a note, non-numbers refused', () => {
  const p = plan({ program: join(dir, 'app.js'), blockThresholdMs: 0, maxFinishedTasks: 1e12 });
  assert.equal(p.agentConfig.blockThresholdMs, 1);
  assert.equal(p.maxFinishedTasks, 1_000_000);
  assert.equal(p.notes.length, 2);
  assert.match(p.notes.join('\n'), /blockThresholdMs.*using 1/);
  const q = plan({ program: join(dir, 'app.js'), blockThresholdMs: '250', maxFinishedTasks: -5 });
  assert.equal(q.agentConfig.blockThresholdMs, 250);
  assert.equal(q.maxFinishedTasks, 0);
  const d = plan({ program: join(dir, 'app.js') });
  assert.deepEqual(d.agentConfig, {}, 'agents apply their own defaults');
  assert.equal(d.maxFinishedTasks, 5000);
  assert.deepEqual(d.notes, []);
  assert.match(error({ program: join(dir, 'app.js'), blockThresholdMs: 'fast' }), /"blockThresholdMs" must be a number between 1 and 600000/);
});

test('a console script (program: .venv/bin/uvicorn) runs with the interpreter its #! line names', () => {
  const script = join(dir, 'uvicorn');
  writeFileSync(script, '#!/usr/bin/env node\n');
  assert.match(error({ program: script }), /Cannot tell whether/, 'only a python #! makes it Python');
  const py = join(dir, 'gunicorn');
  writeFileSync(py, '#!/usr/bin/env python3\nimport sys\n');
  const q = plan({ program: py, args: ['app:app'] });
  assert.equal(q.runtime, 'python');
  assert.deepEqual(q.command, ['python3', py, 'app:app']);
  const named = plan({ program: py, runtimeExecutable: 'python3', runtimeArgs: ['-X', 'dev'] });
  assert.deepEqual(named.command, ['python3', '-X', 'dev', py]);
});

test('"traceChildProcesses": false tells the agents not to follow child processes; true or absent says nothing; anything else is refused', () => {
  assert.deepEqual(plan({ program: join(dir, 'app.js'), traceChildProcesses: false }).agentConfig, { traceChildren: false });
  assert.deepEqual(plan({ program: join(dir, 'app.js'), traceChildProcesses: true }).agentConfig, {});
  assert.match(error({ program: join(dir, 'app.js'), traceChildProcesses: 'no' }), /"traceChildProcesses" must be true or false/);
});
