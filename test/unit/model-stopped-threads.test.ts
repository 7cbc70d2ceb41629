/**
 * A worker thread's connection that ends without a `bye` saying its loop drained was stopped (terminate(),
 * process.exit() in the worker, the process ending): the model ends its live tasks cancelled, so
 * pending-at-exit does not take them for awaits that hung. A process's main thread is never touched.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InspectorModel } from '../../src/model/model';
import type { AgentMessage } from '../../src/protocol/events';
import { batch, create, hello } from './helpers';

const workerHello = (threadId: number): AgentMessage => ({ ...hello(), threadId } as AgentMessage);
const end = (id: number) => ({ e: 'end', id, state: 'done', t: 2 } as const);

function states(m: InspectorModel): Record<string, string> {
  return Object.fromEntries(m.snapshot().upserts.map((t) => [t.name, t.state]));
}

test("a worker that closes without saying its loop drained has its live tasks cancelled, and only those", () => {
  const m = new InspectorModel();
  m.apply(0, hello());
  m.apply(0, batch([create(1, 'main', 0)]));
  m.apply(1, workerHello(3));
  m.apply(1, batch([create(1, 'job', 1), create(2, 'finished', 1), create(3, 'waits', 1), end(2)]));
  m.apply(1, { type: 'bye', t: 5 }); // what the launcher says for a connection that closed without one
  assert.deepEqual(states(m), { main: 'pending', job: 'cancelled', finished: 'done', waits: 'cancelled' });
  const job = m.snapshot().upserts.find((t) => t.name === 'job')!;
  assert.equal(job.error?.type, 'WorkerStopped');
  assert.equal(job.endedAt, 5);
});

test('a worker whose loop drained keeps its pending tasks; process.exit() inside one does not', () => {
  const m = new InspectorModel();
  m.apply(0, hello());
  m.apply(1, workerHello(3));
  m.apply(1, batch([create(1, 'hung', 1)]));
  m.apply(1, { type: 'bye', t: 5, exitCode: 0, drained: true });
  m.apply(2, workerHello(4));
  m.apply(2, batch([create(1, 'exited', 1)]));
  m.apply(2, { type: 'bye', t: 5, exitCode: 0, drained: false });
  assert.deepEqual(states(m), { hung: 'pending', exited: 'cancelled' });
});

test("a process's main thread ending without a bye keeps its pending tasks", () => {
  const m = new InspectorModel();
  m.apply(0, hello());
  m.apply(0, batch([create(1, 'main', 0)]));
  m.apply(0, { type: 'bye', t: 5 });
  assert.deepEqual(states(m), { main: 'pending' });
});
