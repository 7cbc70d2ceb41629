/**
 * Sockets are named by their peer (never an empty address, even when closed before the agent published
 * them) and end when their work is over: a closed socket, or an HTTP client socket parked idle in the
 * keep-alive pool, is not left pending when the program exits. A served keep-alive connection ends when
 * its response does; accepted sockets and served requests point at the server's listen line.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { InspectorModel } from '../../src/model/model';
import { fixture, runTraced, type Trace } from './trace';

describe('node agent: sockets', () => {
  let trace: Trace;
  before(async () => {
    trace = await runTraced(fixture('sockets.js'));
  });
  const sockets = () => [...trace.tasks.values()].filter((t) => t.name.startsWith('TCP'));

  it('runs the program unchanged', () => {
    assert.equal(trace.code, 0);
    assert.equal(trace.stdout, 'sockets done\n');
  });

  it('names every socket by an address and port', () => {
    const names = sockets().map((t) => t.name);
    assert.equal(names.length, 4, `two client and two served sockets: ${names.join(', ')}`);
    for (const name of names) assert.match(name, /^TCP (accepted (on )?)?127\.0\.0\.1:\d+$/);
    assert.ok(names.some((n) => /^TCP accepted 127\.0\.0\.1:\d+$/.test(n)), 'the served HTTP connection, by its client');
    // Destroyed by its 'connection' handler before the agent saw it: its peer is gone, the server's port is not.
    assert.ok(names.some((n) => /^TCP accepted on 127\.0\.0\.1:\d+$/.test(n)), `the refused connection, by the server: ${names.join(', ')}`);
  });

  it('ends every socket: closed ones and the idle keep-alive one', () => {
    assert.deepEqual(sockets().filter((t) => t.state !== 'done').map((t) => t.name), []);
  });

  it('leaves nothing pending at exit for the model', () => {
    const model = new InspectorModel();
    for (const msg of trace.messages) model.apply(0, msg);
    model.finish({ code: trace.code, signal: trace.signal });
    const report = model.report({ command: ['node', 'sockets.js'] });
    assert.deepEqual(report.tasks.filter((t) => t.state === 'pending' || t.state === 'running').map((t) => t.name), []);
    assert.deepEqual(report.flags, []);
  });
});

describe('node agent: a served keep-alive connection', () => {
  it('ends when its response ends, and it and the request point at the listen line', async () => {
    const trace = await runTraced(fixture('keepalive-server.js'));
    assert.equal(trace.stdout, 'served\n');
    const accepted = [...trace.tasks.values()].filter((t) => t.name.startsWith('TCP accepted'));
    assert.equal(accepted.length, 1, [...trace.tasks.values()].map((t) => t.name).join(', '));
    const served = trace.one('HTTP server GET /ping');
    for (const t of [accepted[0], served]) {
      assert.equal(t.created?.line, 6, `${t.name} at the listen line: ${JSON.stringify(t.created)}`);
      assert.equal(t.state, 'done', t.name);
    }
    const idle = accepted[0].endedAt! - served.endedAt!;
    assert.ok(idle >= 0 && idle < 400, `the connection ended ${idle} ms after its response (the program went on 600 ms)`);
  });
});

describe('node agent: how served requests end', () => {
  it('done when answered, cancelled when the client hangs up first, on a reused connection too', async () => {
    const trace = await runTraced(fixture('served-cancelled.js'));
    assert.equal(trace.stdout, 'requests served\n');
    assert.equal(trace.one('HTTP server GET /done').state, 'done');
    assert.equal(trace.one('HTTP server GET /second').state, 'done');
    assert.equal(trace.one('HTTP server GET /slow').state, 'cancelled');
  });
});

/**
 * In a storm (capture budget spent) a served request gets no record at once: it is counted when it ends, and
 * recorded only if it is still in flight a flush later (shown live), or when its shape's allowance shows it.
 */
describe('node agent: served requests in a storm', () => {
  it('counts every request exactly, and records the ones in flight across a flush', async () => {
    const trace = await runTraced(fixture('served-storm.js'), { agentConfig: { stackCapturesPerSec: 1 } });
    assert.equal(trace.stdout, 'served\n');
    const served = (path: string) => [...trace.tasks.values()].filter((t) => t.name === `HTTP server GET ${path}`);
    const rolled = trace.rollups().filter((r) => r.name === 'HTTP server GET');
    const count = (state: 'done' | 'cancelled') => served('/quick').filter((t) => t.state === state).length + served('/slow').filter((t) => t.state === state).length
      + served('/abandoned').filter((t) => t.state === state).length + rolled.reduce((n, r) => n + (state === 'done' ? r.count - r.failed - r.cancelled : r.cancelled), 0);
    assert.equal(count('done'), 301, `300 quick ones and /slow, each once: ${served('/quick').length} recorded, rollups ${JSON.stringify(rolled)}`);
    assert.equal(count('cancelled'), 1, 'the abandoned one');
    // Each one ran a handler that made a Node API call: that once published every request, for its count.
    assert.ok(served('/quick').length < 100, `the quick ones are rolled up, not recorded one by one: ${served('/quick').length} of 300`);
    // In flight across flushes: recorded, shown pending while its handler waits, then ended.
    const slow = trace.one('HTTP server GET /slow');
    assert.deepEqual([slow.states[0], slow.state], ['pending', 'done']);
    assert.equal(slow.created?.line, 12, 'at the listen line');
    assert.ok(slow.endedAt! - slow.startedAt! >= 350, `its time is the request's, from its start: ${slow.endedAt! - slow.startedAt!} ms`);
    assert.equal(trace.one('HTTP server GET /abandoned').state, 'cancelled');
  });
});
