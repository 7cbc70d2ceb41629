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
