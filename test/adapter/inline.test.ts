/**
 * The session as the extension runs it: inline (DebugAdapterInlineImplementation calls handleMessage and
 * listens to onDidSendMessage), in this process, no stdio.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { InspectorSession } from '../../src/adapter/session';
import { distDir, fixture, isAlive } from './harness';

function inlineSession() {
  const session = new InspectorSession({ distDir });
  const sent: DebugProtocol.ProtocolMessage[] = [];
  session.onDidSendMessage((m) => sent.push(m as DebugProtocol.ProtocolMessage));
  let seq = 1;
  const request = async (command: string, args?: unknown): Promise<DebugProtocol.Response> => {
    const mySeq = seq++;
    session.handleMessage({ seq: mySeq, type: 'request', command, arguments: args } as DebugProtocol.Request);
    for (;;) {
      const r = sent.find((m): m is DebugProtocol.Response => m.type === 'response' && (m as DebugProtocol.Response).request_seq === mySeq);
      if (r) return r;
      await sleep(10);
    }
  };
  const events = (name: string) => sent.filter((m): m is DebugProtocol.Event => m.type === 'event' && (m as DebugProtocol.Event).event === name);
  return { session, request, events };
}

async function until(probe: () => boolean, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(20);
  }
}

test('inline: a run streams session, deltas, output and the end, as objects', async () => {
  const { session, request, events } = inlineSession();
  assert.equal((await request('initialize', { adapterID: 'async-inspector', pathFormat: 'path' })).success, true);
  const launched = await request('launch', { program: fixture('tasks.js') });
  assert.equal(launched.success, true, launched.message);
  await until(() => events('terminated').length > 0);
  assert.equal(events('asyncInspector/session').length, 1);
  assert.ok(events('asyncInspector/delta').length >= 1);
  assert.equal(events('asyncInspector/ended')[0].body.exitCode, 3);
  assert.deepEqual(events('exited').map((e) => e.body.exitCode), [3]);
  const stdout = events('output').filter((e) => e.body.category === 'stdout').map((e) => e.body.output).join('');
  assert.equal(stdout, 'out 1\nout 2 ok\n');
  session.dispose();
});

test('inline: disposing the session (VS Code ends it) kills a running program', async () => {
  const { session, request, events } = inlineSession();
  await request('initialize', { adapterID: 'async-inspector', pathFormat: 'path' });
  await request('launch', { program: fixture('forever.js') });
  const stdout = () => events('output').filter((e) => e.body.category === 'stdout').map((e) => e.body.output).join('');
  await until(() => /pid=\d+/.test(stdout()));
  const pid = Number(/pid=(\d+)/.exec(stdout())![1]);
  assert.ok(isAlive(pid));
  session.dispose();
  await until(() => !isAlive(pid), 3000);
  await until(() => events('terminated').length > 0, 5000);
});
