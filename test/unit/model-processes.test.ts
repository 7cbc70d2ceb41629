/**
 * The report's process tree: one entry per traced process (pid, parent pid, command, exit code), the
 * connections of its worker threads folded into it; absent when the program ran as one process.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InspectorModel } from '../../src/model/model';
import type { AgentMessage } from '../../src/protocol/events';
import { batch, create, hello, processHello as proc } from './helpers';

test('each traced process is listed with its parent pid, command, exit code and the id prefixes of its tasks', () => {
  const m = new InspectorModel();
  m.apply(0, proc(100, 1, ['python', 'app.py']));
  m.apply(0, batch([create(1, 'main', 0)]));
  m.apply(1, proc(101, 100, ['python', 'app.py']));
  m.apply(1, batch([create(1, 'child_work', 1), create(2, 'other', 1)]));
  m.apply(1, { type: 'bye', t: 5, exitCode: 7 });
  m.apply(2, { ...hello(1_000_000, 'node', 100), threadId: 3 } as AgentMessage); // a worker thread of 100
  m.apply(2, batch([create(1, 'job', 1)]));
  m.apply(3, proc(102, 100, ['python', 'app.py']));
  m.apply(3, { type: 'bye', t: 6 }); // closed without saying: exit code unknown
  m.finish({ code: 0, signal: null, durationMs: 10 });
  const report = m.report({ command: ['python', 'app.py'] });
  assert.equal(report.schema, 1);
  assert.deepEqual(report.processes, [
    { pid: 100, parentPid: 1, command: ['python', 'app.py'], exitCode: 0, idPrefixes: ['', 'p2:'], tasks: 2, loops: 0 },
    { pid: 101, parentPid: 100, command: ['python', 'app.py'], exitCode: 7, idPrefixes: ['p1:'], tasks: 2, loops: 0 },
    { pid: 102, parentPid: 100, command: ['python', 'app.py'], exitCode: null, idPrefixes: ['p3:'], tasks: 0, loops: 0 },
  ]);
  assert.ok(report.tasks.some((t) => t.id === 'p1:1' && t.name === 'child_work'));
});

test('a program that ran as one process has no processes array (the report stays as it was)', () => {
  const m = new InspectorModel();
  m.apply(0, proc(100, 1, ['python', 'app.py']));
  m.apply(0, batch([create(1, 'main', 0)]));
  m.finish({ code: 0, signal: null, durationMs: 10 });
  assert.equal('processes' in m.report({ command: ['python', 'app.py'] }), false);
});

test('deltas carry the process tree when a process connects or ends (its exit from its bye, the first one\'s from the launcher); flags name the pid that raised them', () => {
  const m = new InspectorModel();
  m.apply(0, proc(100, 1, ['node', 'cluster.js']));
  const first = m.takeDelta();
  assert.deepEqual(first?.processes, [{ pid: 100, parentPid: 1, command: ['node', 'cluster.js'], idPrefixes: [''], exited: false, exitCode: null }]);
  m.apply(0, batch([create(1, 'main', 0)]));
  assert.equal('processes' in (m.takeDelta() ?? {}), false, 'unchanged: not repeated');
  m.apply(1, proc(101, 100, ['node', 'cluster.js']));
  m.apply(1, batch([{ e: 'finding', kind: 'blocking-call', message: 'held the loop', t: 3, site: null }]));
  const joined = m.takeDelta()!;
  assert.deepEqual(joined.processes?.map((p) => [p.pid, p.parentPid, p.exited]), [[100, 1, false], [101, 100, false]]);
  assert.equal(joined.flags[0].pid, 101);
  m.apply(1, { type: 'bye', t: 5, exitCode: 3 });
  assert.deepEqual(m.takeDelta()?.processes?.[1], {
    pid: 101, parentPid: 100, command: ['node', 'cluster.js'], idPrefixes: ['p1:'], exited: true, exitCode: 3,
  });
  m.apply(2, proc(102, 100, ['node', 'cluster.js']));
  m.apply(2, { type: 'bye', t: 6 }); // its connection closed without a bye: ended, code unknown
  m.finish({ code: 0, signal: null, durationMs: 10 });
  const last = m.takeDelta()!;
  assert.deepEqual(last.processes?.map((p) => [p.pid, p.exited, p.exitCode]), [[100, true, 0], [101, true, 3], [102, true, null]]);
  assert.deepEqual(m.snapshot().processes, last.processes);
});

test('a parent\'s wait has the last word on its child\'s exit code (exited event), before or after the child\'s bye', () => {
  const m = new InspectorModel();
  m.apply(0, proc(100, 1, ['python', 'app.py']));
  m.apply(1, proc(101, 100, ['python', 'child.py']));
  m.apply(2, proc(102, 100, ['python', 'child.py']));
  m.apply(1, { type: 'bye', t: 5, exitCode: 0 }); // it said 0 (a status it could not see)
  m.apply(0, batch([{ e: 'exited', pid: 101, code: 4, t: 6 }, { e: 'exited', pid: 102, code: 137, t: 7 }]));
  m.apply(2, { type: 'bye', t: 8 }); // killed: its connection closed without a bye, after its parent's wait
  m.apply(0, batch([{ e: 'exited', pid: 999, code: 1, t: 9 }])); // a child that was not traced: nothing to note
  const codes = m.takeDelta()?.processes?.map((p) => [p.pid, p.exited, p.exitCode]);
  assert.deepEqual(codes, [[100, false, null], [101, true, 4], [102, true, 137]]);
  m.apply(0, batch([{ e: 'exited', pid: '101', code: 4, t: 10 } as never]));
  assert.equal(m.malformedEvents, 1, 'a pid that is not a number');
});
