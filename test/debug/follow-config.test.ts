/**
 * Which runtime-debugger configurations the inspector follows, and the NODE_OPTIONS it gives them: the
 * user's and js-debug's own entries keep working (checked by Node itself parsing the result), quotes and
 * spaces survive, injecting twice changes nothing.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { nodeOptionTokens } from '../../src/inspection/agent-env';
import {
  ASYNC_STACKS_NOTE, ATTACH_MESSAGE, decideFollow, INSPECTION_KEY, injectNodeAgent, nodeAgentAbsentMessage, SESSION_ENV, type DebugConfig,
} from '../../src/extension/debug/followDecision';
import { childConfiguration, childDebugType, PYTHON_NO_DEBUGGER_NOTE } from '../../src/extension/debug/childConfig';

const launch = (extra: Record<string, unknown> = {}): DebugConfig => ({ type: 'node', request: 'launch', name: 'app', program: '/w/app.js', ...extra });

test('marked configurations of the followed types are followed; the setting widens or turns it off', () => {
  assert.deepEqual(decideFollow(launch({ asyncInspector: true }), 'marked'), { kind: 'follow', runtime: 'node' });
  assert.deepEqual(decideFollow(launch(), 'marked'), { kind: 'skip' });
  assert.deepEqual(decideFollow(launch(), 'all'), { kind: 'follow', runtime: 'node' });
  assert.deepEqual(decideFollow(launch({ asyncInspector: false }), 'all'), { kind: 'skip' }, 'false opts out of "all"');
  assert.deepEqual(decideFollow(launch({ asyncInspector: true }), 'off'), { kind: 'skip' });
  for (const type of ['pwa-node', 'node-terminal']) assert.equal(decideFollow({ ...launch({ asyncInspector: true }), type }, 'marked').kind, 'follow');
  for (const type of ['debugpy', 'python']) assert.deepEqual(decideFollow({ ...launch({ asyncInspector: true }), type }, 'marked'), { kind: 'follow', runtime: 'python' });
  assert.equal(decideFollow({ ...launch({ asyncInspector: true }), type: 'chrome' }, 'all').kind, 'skip');
});

test('attach configurations are explained when marked, child targets and injected configurations left alone', () => {
  assert.deepEqual(decideFollow(launch({ request: 'attach', asyncInspector: true }), 'marked'), { kind: 'explain', message: ATTACH_MESSAGE });
  assert.deepEqual(decideFollow(launch({ request: 'attach' }), 'all'), { kind: 'skip' }, '"all" does not nag about every attach');
  assert.deepEqual(decideFollow(launch({ asyncInspector: true, __pendingTargetId: 'abc' }), 'marked'), { kind: 'skip' });
  assert.deepEqual(decideFollow(launch({ asyncInspector: true, [INSPECTION_KEY]: 'i1' }), 'marked'), { kind: 'skip' });
});

const agent = (nodeAgent: string) => ({ variables: { ASYNC_INSPECTOR_CHANNEL: 'unix:/s', ASYNC_INSPECTOR_TOKEN: 't', ASYNC_INSPECTOR_CONFIG: '{}' }, nodeAgent, pythonDir: '/d/python' });

test('NODE_OPTIONS keeps the configuration\'s entries, else the inherited ones, and gets the agent once', () => {
  const a = agent('/ext dir/dist/agent-node.js');
  const out = injectNodeAgent(launch({ env: { NODE_OPTIONS: '--require "/my libs/pre.js" -r ./x.js --max-old-space-size=4096', FOO: '1' } }), a, 'i1', {}).config;
  const env = out.env as Record<string, string>;
  assert.deepEqual(nodeOptionTokens(env.NODE_OPTIONS), ['--require', '/my libs/pre.js', '-r', './x.js', '--max-old-space-size=4096', '--require', '/ext dir/dist/agent-node.js']);
  assert.equal(env.FOO, '1');
  assert.equal(env.ASYNC_INSPECTOR_TOKEN, 't');
  assert.equal(env[SESSION_ENV], 'i1');
  assert.equal(out[INSPECTION_KEY], 'i1');
  const inherited = injectNodeAgent(launch(), a, 'i2', { NODE_OPTIONS: '--enable-source-maps' }).config;
  assert.deepEqual(nodeOptionTokens((inherited.env as Record<string, string>).NODE_OPTIONS), ['--enable-source-maps', '--require', '/ext dir/dist/agent-node.js']);
  const removed = injectNodeAgent(launch({ env: { NODE_OPTIONS: null } }), a, 'i3', { NODE_OPTIONS: '--inspect' }).config;
  assert.deepEqual(nodeOptionTokens((removed.env as Record<string, string>).NODE_OPTIONS), ['--require', '/ext dir/dist/agent-node.js'], 'null removes the inherited value');
  const twice = injectNodeAgent(out, a, 'i1', {}).config;
  assert.equal((twice.env as Record<string, string>).NODE_OPTIONS, env.NODE_OPTIONS, 'idempotent');
  assert.equal((launch().env as unknown), undefined, 'the input configuration is not modified');
  assert.equal(out.showAsyncStacks, false, 'js-debug is asked not to record async stacks (they stop V8\'s promise hooks)');
  const asked = injectNodeAgent(launch({ showAsyncStacks: true }), a, 'i4', {});
  assert.equal(asked.config.showAsyncStacks, false, 'even when asked for (js-debug\'s own resolver may have put its default there)');
  assert.equal(asked.warning, ASYNC_STACKS_NOTE, 'and the Debug Console says why');
});

test('Node itself loads every entry: the user\'s preload, a path with spaces and quotes, and js-debug\'s appended after ours', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ai dbg "q" '));
  const mark = (name: string) => `require('fs').appendFileSync(${JSON.stringify(join(dir, 'log'))}, ${JSON.stringify(name + '\n')});`;
  const user = join(dir, 'user pre.js');
  const ours = join(dir, 'agent "x".js');
  const jsDebug = join(dir, 'bootloader.js');
  writeFileSync(user, mark('user'));
  writeFileSync(ours, mark('agent'));
  writeFileSync(jsDebug, mark('js-debug'));
  const out = injectNodeAgent(launch({ env: { NODE_OPTIONS: `--require ${JSON.stringify(user)}` } }), agent(ours), 'i', {}).config;
  // js-debug appends its bootloader the same way (a space, then --require "<path>").
  const nodeOptions = `${(out.env as Record<string, string>).NODE_OPTIONS} --require ${JSON.stringify(jsDebug)}`;
  const r = spawnSync(process.execPath, ['-e', `process.stdout.write(require('fs').readFileSync(${JSON.stringify(join(dir, 'log'))}, 'utf8'))`], {
    env: { ...process.env, NODE_OPTIONS: nodeOptions }, encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n'), ['user', 'agent', 'js-debug']);
});

test('an async-inspector configuration debugs under js-debug, or debugpy when installed, or says why not', () => {
  const ours: DebugConfig = {
    type: 'async-inspector', request: 'launch', name: 'Inspect', program: '/w/app.js', args: ['--fast'], cwd: '/w',
    env: { A: '1', B: null }, runtimeExecutable: '/opt/node', runtimeArgs: ['--no-warnings'],
  };
  assert.deepEqual(childDebugType('node', ours, false), { type: 'pwa-node' });
  assert.deepEqual(childDebugType('python', ours, true), { type: 'debugpy' });
  assert.deepEqual(childDebugType('python', ours, false), { type: undefined, note: PYTHON_NO_DEBUGGER_NOTE });
  assert.deepEqual(childDebugType('node', { ...ours, debug: false }, true), { type: undefined }, '"debug": false keeps run-only mode');
  assert.deepEqual(childConfiguration(ours, 'pwa-node'), {
    type: 'pwa-node', request: 'launch', name: 'Inspect', program: '/w/app.js', args: ['--fast'], cwd: '/w',
    env: { A: '1', B: null }, asyncInspector: true, console: 'internalConsole', runtimeExecutable: '/opt/node', runtimeArgs: ['--no-warnings'],
  });
  const py = childConfiguration({ ...ours, program: '/w/app.py', runtimeExecutable: '/venv/bin/python' }, 'debugpy');
  assert.equal(py.python, '/venv/bin/python');
  assert.deepEqual(py.pythonArgs, ['--no-warnings']);
  assert.equal(py.asyncInspector, true, 'the child is followed like any marked configuration');
  assert.equal(decideFollow(py, 'marked').kind, 'follow');
  assert.equal('traceChildProcesses' in py, false);
  assert.equal(childConfiguration({ ...ours, traceChildProcesses: false }, 'pwa-node').traceChildProcesses, false, 'the child carries "traceChildProcesses"');
});

test('the Node "agent did not load" line says why and what to do, for each answer the program gave', () => {
  const absent = nodeAgentAbsentMessage(false);
  assert.match(absent, /^Async Inspector: the agent did not load in this Node program/);
  assert.match(absent, /NODE_OPTIONS lost the agent's --require/);
  assert.match(absent, /debugging is not affected/);
  assert.match(nodeAgentAbsentMessage(true), /loaded but never reached VS Code.*Run the program on this machine/);
  assert.match(nodeAgentAbsentMessage(undefined), /no agent said hello/);
  assert.equal(new Set([absent, nodeAgentAbsentMessage(true), nodeAgentAbsentMessage(undefined)]).size, 3);
});
