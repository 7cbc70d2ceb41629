/**
 * The debug adapter's attach request over real DAP: the view's deltas fill with the running server's tasks
 * (found at attach), then follow it live; disconnect detaches and the server still answers; a bad processId
 * is one clear error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { record, startAdapter } from './harness';
import { ask, startServer } from '../cli/attach-servers';

test('attach request: the view fills with the running tasks, follows new ones live, disconnect detaches', async () => {
  const srv = await startServer('python3', { PARKED: '20' });
  const { child, port } = srv;
  const dc = await startAdapter();
  try {
    const rec = record(dc);
    await dc.initializeRequest();
    await Promise.all([dc.attachRequest({ processId: String(child.pid) } as DebugProtocol.AttachRequestArguments), dc.configurationDoneRequest()]);
    await waitFor(() => rec.sessions.length === 1);
    assert.equal(rec.sessions[0].attached, true);
    const names = () => new Set(rec.deltas.flatMap((d) => d.delta.upserts.map((t) => `${t.name}:${t.foundAtAttach ?? 'new'}`)));
    await waitFor(() => names().has('parked:definition') && names().has('left:definition'));
    assert.match(await ask(port), /^pong/);
    await waitFor(() => names().has('handle:new'), 10_000); // followed live: the request after the attach
    await waitFor(() => rec.deltas.some((d) => d.delta.flags.some((f) => f.kind === 'deadlock')));
    await dc.disconnectRequest({});
    await rec.terminated;
    assert.equal(rec.exited.length, 0, 'an attached program does not exit');
    assert.ok(rec.output.some((o) => /Detached from process \d+: it keeps running/.test(o.output)));
    assert.match(await ask(port), /^pong/, 'still serving after the detach');
  } finally {
    await dc.stop().catch(() => {});
    child.kill('SIGKILL');
  }
});

test('attach request errors: a bad or unknown processId', async () => {
  const dc = await startAdapter();
  try {
    await dc.initializeRequest();
    await assert.rejects(dc.attachRequest({ processId: 'abc' } as DebugProtocol.AttachRequestArguments), /"processId" must be the id of a running/);
    await assert.rejects(dc.attachRequest({ processId: 999999 } as DebugProtocol.AttachRequestArguments), /no process with id 999999/);
  } finally {
    await dc.stop().catch(() => {});
  }
});

async function waitFor(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((ok) => setTimeout(ok, 50));
  }
}
