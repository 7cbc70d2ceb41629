/** Timers, HTTP, fs, child processes and worker threads each appear with their own kind and name. */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { fixture, runTraced, type Task, type Trace } from './trace';

describe('node agent: resources', () => {
  let trace: Trace;
  before(async () => {
    trace = await runTraced(fixture('resources.js'));
  });
  const inFixture = (t: Task): boolean => /resources\.js$/.test(t.created?.file ?? '');

  it('runs the program unchanged', () => {
    assert.equal(trace.code, 0);
    assert.equal(trace.stdout, 'resources done\n');
    assert.equal(trace.stderr, '');
  });

  it('shows timers by kind, where they were set', () => {
    const timeout = trace.named('Timeout').find((t) => t.created?.line === 10);
    assert.ok(timeout, 'the 120 ms setTimeout');
    assert.equal(timeout.kind, 'timer');
    assert.equal(timeout.state, 'done');
    const interval = trace.one('Interval');
    assert.equal(interval.kind, 'timer');
    assert.equal(interval.created?.line, 9);
    assert.equal(interval.state, 'done', 'cleared');
    assert.ok([...trace.tasks.values()].some((t) => t.name === 'Immediate') || trace.rollups().some((r) => r.name === 'Immediate'));
  });

  it('shows the HTTP request on loopback (client and server side)', () => {
    const client = trace.named('HTTP').find((t) => /^HTTP GET http:\/\/127\.0\.0\.1:\d+\/ping$/.test(t.name));
    assert.ok(client, `client request among ${[...trace.tasks.values()].map((t) => t.name).join(', ')}`);
    assert.equal(client.kind, 'io');
    assert.ok(inFixture(client));
    assert.equal(client.created?.line, 28);
    assert.equal(client.state, 'done');
    const served = trace.one('HTTP server GET /ping');
    assert.equal(served.kind, 'io');
    assert.equal(served.state, 'done');
    // The handler's timer was started while the request was being served.
    const handlerTimer = trace.named('Timeout').find((t) => t.created?.line === 25);
    assert.equal(handlerTimer?.parent, served.id);
  });

  it('shows fs reads, callback and promise style', () => {
    const read = trace.one('fs.readFile');
    assert.equal(read.kind, 'io');
    assert.equal(read.created?.line, 17);
    const readP = trace.one('fs.promises.readFile');
    assert.equal(readP.kind, 'io');
    assert.equal(readP.created?.line, 19);
    assert.equal(readP.parent, read.id, 'started from the readFile callback');
  });

  it('shows the child process and the worker thread', () => {
    const child = trace.one('child_process.execFile');
    assert.equal(child.kind, 'io');
    assert.equal(child.created?.line, 36);
    assert.equal(child.state, 'done');
    assert.equal(child.result, 'exit 0');
    const worker = trace.one('Worker');
    assert.equal(worker.kind, 'executor');
    assert.equal(worker.created?.line, 40);
    assert.equal(worker.name, 'Worker (eval)');
    assert.ok(worker.states.includes('running'), 'seen running');
    assert.equal(worker.state, 'done');
  });

  it('never shows the agent itself or anonymous Node internals', () => {
    for (const t of trace.tasks.values()) {
      assert.doesNotMatch(t.created?.file ?? '', /agent-node|^node:/, `${t.name} at ${t.created?.file}`);
    }
  });
});
