/**
 * A worker thread's connection that ends without a `bye` saying its loop drained was stopped (terminate(),
 * process.exit() in the worker, the process ending): the channel ends its live tasks cancelled, so the
 * model does not take them for awaits that hung. A process's main thread is never touched.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AgentEvent, AgentMessage } from '../../src/protocol/events';
import { StoppedThreads } from '../../src/launcher/stopped-threads';

const hello = (threadId?: number): AgentMessage => ({
  type: 'hello', protocol: 2, token: 't', runtime: 'node', pid: 1, ppid: 0, argv: [], cwd: '/', agentVersion: '0',
  runtimeVersion: '20', startEpochMs: Date.now(), ...(threadId === undefined ? {} : { threadId }),
});
const batch = (seq: number, events: AgentEvent[]): AgentMessage => ({ type: 'batch', seq, dropped: 0, events });
const create = (id: number): AgentEvent => ({ e: 'create', id, kind: 'promise', name: `p${id}`, parent: null, site: null, t: 1 });
const end = (id: number): AgentEvent => ({ e: 'end', id, state: 'done', t: 2 });

function cancelledIds(msgs: (AgentMessage | undefined)[]): number[] {
  return msgs.flatMap((m) => (m?.type === 'batch' ? m.events : [])).filter((e) => e.e === 'end' && e.state === 'cancelled').map((e) => (e as { id: number }).id);
}

describe('launcher: stopped worker threads', () => {
  it('ends the live tasks of a worker that closed without a bye, and only those', () => {
    const s = new StoppedThreads();
    s.pass(1, hello(3));
    s.pass(1, batch(1, [create(1), create(2), create(3), end(2)]));
    const last = s.closed(1);
    assert.deepEqual(cancelledIds([last]), [1, 3]);
    assert.equal(last?.type === 'batch' && last.seq, 2, 'the next batch number');
  });

  it('puts the stop batch before an undrained bye, and nothing after a drained one', () => {
    const s = new StoppedThreads();
    s.pass(1, hello(3));
    s.pass(1, batch(1, [create(1)]));
    const out = s.pass(1, { type: 'bye', t: 5, exitCode: 0, drained: false });
    assert.deepEqual(out.map((m) => m.type), ['batch', 'bye']);
    assert.deepEqual(cancelledIds(out), [1]);
    assert.equal(s.closed(1), undefined, 'said once');

    s.pass(2, hello(4));
    s.pass(2, batch(1, [create(1)]));
    assert.deepEqual(s.pass(2, { type: 'bye', t: 5, exitCode: 0, drained: true }).map((m) => m.type), ['bye']);
    assert.equal(s.closed(2), undefined, 'a worker that drained keeps its pending tasks (a real pending-at-exit)');
  });

  it("never touches a process's main thread", () => {
    const s = new StoppedThreads();
    s.pass(0, hello());
    s.pass(0, batch(1, [create(1)]));
    assert.deepEqual(s.pass(0, { type: 'bye', t: 5, drained: false }).map((m) => m.type), ['bye']);
    assert.equal(s.closed(0), undefined);
  });
});
