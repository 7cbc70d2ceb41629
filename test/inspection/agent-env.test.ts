import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { test } from 'node:test';
import {
  agentEnvironment, mergeEnv, nodeOptionsWithRequire, nodeOptionTokens, pathListWithFirst, withAgent,
} from '../../src/inspection/agent-env';
import { nodeOptionsWithout } from '../../src/protocol/node-options';
import { keepOutOfChildren } from '../../src/agents/node/children';

test('NODE_OPTIONS keeps existing entries, quotes the agent path, and adds it once', () => {
  assert.equal(nodeOptionsWithRequire(undefined, '/a/agent.js'), '--require "/a/agent.js"');
  assert.equal(nodeOptionsWithRequire('  ', '/a/agent.js'), '--require "/a/agent.js"');
  const once = nodeOptionsWithRequire('--require "/other dir/x.js" --max-old-space-size=100', '/my dir/agent.js');
  assert.equal(once, '--require "/other dir/x.js" --max-old-space-size=100 --require "/my dir/agent.js"');
  assert.equal(nodeOptionsWithRequire(once, '/my dir/agent.js'), once, 'idempotent');
  assert.equal(nodeOptionsWithRequire('-r /a/agent.js', '/a/agent.js'), '-r /a/agent.js');
  assert.equal(nodeOptionsWithRequire('--require=/a/agent.js', '/a/agent.js'), '--require=/a/agent.js');
  const odd = 'C:\\Users\\me "q"\\agent.js';
  const withOdd = nodeOptionsWithRequire(undefined, odd);
  assert.deepEqual(nodeOptionTokens(withOdd), ['--require', odd]);
  assert.equal(nodeOptionsWithRequire(withOdd, odd), withOdd);
});

test('traceChildren false: the agent takes its --require and variables out of what children inherit, the user\'s entries kept', () => {
  const odd = '/ext "dir"/agent.js';
  const user = '--require "/my libs/pre.js" --max-old-space-size=100';
  assert.deepEqual(nodeOptionTokens(nodeOptionsWithout(nodeOptionsWithRequire(user, odd), odd)), ['--require', '/my libs/pre.js', '--max-old-space-size=100']);
  assert.equal(nodeOptionsWithout(user, odd), user, 'unchanged when it does not require the agent');
  assert.equal(nodeOptionsWithout('-r /a/agent.js --require=/a/agent.js', '/a/agent.js'), '');
  const env: NodeJS.ProcessEnv = {
    PATH: '/bin', NODE_OPTIONS: nodeOptionsWithRequire(undefined, odd), ASYNC_INSPECTOR_CHANNEL: 'unix:/s', ASYNC_INSPECTOR_TOKEN: 't',
    ASYNC_INSPECTOR_CONFIG: '{}', ASYNC_INSPECTOR_SESSION: 's', ASYNC_INSPECTOR_CHILD: '1',
  };
  keepOutOfChildren(env, odd);
  assert.deepEqual(env, { PATH: '/bin' });
  const kept: NodeJS.ProcessEnv = { NODE_OPTIONS: nodeOptionsWithRequire('--enable-source-maps', odd) };
  keepOutOfChildren(kept, odd);
  assert.deepEqual(kept, { NODE_OPTIONS: '--enable-source-maps' });
});

test('Node reads the quoted NODE_OPTIONS: an agent in a folder with spaces and quotes loads beside the user\'s own --require', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ai env "q" '));
  try {
    const mine = join(dir, 'my pre.js');
    const agent = join(dir, 'agent dir', 'agent.js');
    mkdirSync(join(dir, 'agent dir'));
    writeFileSync(mine, 'process.stdout.write("mine ")');
    writeFileSync(agent, 'process.stdout.write("agent ")');
    const options = nodeOptionsWithRequire(nodeOptionsWithRequire(`--require ${JSON.stringify(mine)}`, agent), agent);
    const out = spawnSync(process.execPath, ['-e', 'process.stdout.write("program")'], {
      env: { ...process.env, NODE_OPTIONS: options }, encoding: 'utf8',
    });
    assert.equal(out.stderr, '');
    assert.equal(out.stdout, 'mine agent program');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('PYTHONPATH gets the agent folder first, once, the user\'s entries kept in order', () => {
  assert.equal(pathListWithFirst(undefined, '/d/python'), '/d/python');
  const list = ['/u1', '/d/python', '/u2'].join(delimiter);
  assert.equal(pathListWithFirst(list, '/d/python'), ['/d/python', '/u1', '/u2'].join(delimiter));
  const again = pathListWithFirst(pathListWithFirst('/u1', '/d/python'), '/d/python');
  assert.equal(again, ['/d/python', '/u1'].join(delimiter));
});

test('the agent environment: channel variables and the injection for each runtime', () => {
  const agent = agentEnvironment('unix:/tmp/s.sock', 'tok', { blockThresholdMs: 50 }, '/dist');
  assert.deepEqual(agent.variables, {
    ASYNC_INSPECTOR_CHANNEL: 'unix:/tmp/s.sock', ASYNC_INSPECTOR_TOKEN: 'tok', ASYNC_INSPECTOR_CONFIG: '{"blockThresholdMs":50}',
  });
  assert.equal(agent.nodeAgent, join('/dist', 'agent-node.js'));
  assert.equal(agent.pythonDir, join('/dist', 'python'));
  const node = withAgent({ NODE_OPTIONS: '--trace-warnings', KEEP: '1' }, 'node', agent);
  assert.equal(node.NODE_OPTIONS, `--trace-warnings --require "${agent.nodeAgent}"`);
  assert.equal(node.KEEP, '1');
  assert.deepEqual(withAgent(node, 'node', agent), node, 'idempotent');
  const py = withAgent({}, 'python', agent);
  assert.equal(py.PYTHONPATH, agent.pythonDir);
  assert.equal(py.ASYNC_INSPECTOR_TOKEN, 'tok');
});

test('mergeEnv: strings set, null and undefined remove', () => {
  assert.deepEqual(mergeEnv({ A: '1', B: '2' }, { B: null, C: '3', A: undefined }), { C: '3' });
  assert.deepEqual(mergeEnv({ A: '1' }, undefined), { A: '1' });
});
