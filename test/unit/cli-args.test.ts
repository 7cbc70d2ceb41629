import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agentConfigOf, parseArgs, UsageError } from '../../src/cli/args';

test('run options in both spellings, then the command after --', () => {
  const p = parseArgs(['run', '--json', 'r.json', '--trace=t.json', '--timeout', '2.5', '--block-threshold=50',
    '--fail-on', 'never-awaited,blocking-call', '--fail-on=deadlock', '--', 'node', '--inspect', 'app.js', '--json']);
  assert.deepEqual(p, {
    cmd: 'run',
    options: {
      json: 'r.json', trace: 't.json', timeoutSec: 2.5, blockThresholdMs: 50,
      failOn: ['never-awaited', 'blocking-call', 'deadlock'], warnings: [], command: ['node', '--inspect', 'app.js', '--json'],
    },
  });
});

test('the command may follow the options without --', () => {
  const p = parseArgs(['run', '--timeout', '3', 'python3', 'main.py', '-v']);
  assert.equal(p.cmd, 'run');
  assert.deepEqual(p.cmd === 'run' && p.options.command, ['python3', 'main.py', '-v']);
});

test('a kind an agent may add is accepted with a warning; the Python mistake kinds are known', () => {
  const p = parseArgs(['run', '--fail-on', 'loop-closed-twice,any', '--', 'python3', 'a.py']);
  assert.ok(p.cmd === 'run');
  assert.deepEqual(p.options.failOn, ['loop-closed-twice', 'any']);
  assert.equal(p.options.warnings.length, 1);
  const known = parseArgs(['run', '--fail-on', 'asyncio-run-in-loop,result-before-done', '--', 'python3', 'a.py']);
  assert.ok(known.cmd === 'run');
  assert.deepEqual(known.options.warnings, []);
});

test('bad values are usage errors', () => {
  for (const argv of [['run', '--timeout', '', '--', 'node'], ['run', '--timeout', 'Infinity', '--', 'node'], ['run', '--block-threshold', '700000', '--', 'node'],
    ['run', '--fail-on', ',', '--', 'node'], ['run', '--json=', '--', 'node'], ['frobnicate']]) {
    assert.throws(() => parseArgs(argv), UsageError, argv.join(' '));
  }
});

test('--no-children (run only) tells the agents not to follow child processes; without it they are told nothing', () => {
  const p = parseArgs(['run', '--no-children', '--block-threshold', '40', '--', 'node', 'cluster.js', '--no-children']);
  assert.ok(p.cmd === 'run');
  assert.equal(p.options.noChildren, true);
  assert.deepEqual(p.options.command, ['node', 'cluster.js', '--no-children']);
  assert.deepEqual(agentConfigOf(p.options), { blockThresholdMs: 40, traceChildren: false });
  const plain = parseArgs(['run', '--', 'node', 'cluster.js']);
  assert.ok(plain.cmd === 'run');
  assert.deepEqual(agentConfigOf(plain.options), {});
  assert.throws(() => parseArgs(['attach', '42', '--no-children']), UsageError);
});
