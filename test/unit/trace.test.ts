import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InspectorModel } from '../../src/model/model';
import { toChromeTrace } from '../../src/model/trace';
import { batch, create, hello, processHello, site } from './helpers';

function sampleReport() {
  const m = new InspectorModel();
  m.apply(0, hello());
  m.apply(1, hello(1_000_100));
  m.apply(0, batch([
    { e: 'loop', id: 1, name: 'asyncio', thread: 'MainThread', t: 0 },
    site(1, 4, 'main'),
    { e: 'create', id: 1, kind: 'task', name: 'main', parent: null, site: 1, loop: 1, t: 1 },
    { e: 'step', id: 1, t: 1, dur: 2 },
    { e: 'create', id: 2, kind: 'executor', name: 'crunch', parent: 1, site: null, loop: 1, t: 2 },
    { e: 'state', id: 2, state: 'running', t: 3, thread: 'worker-1' },
    { e: 'end', id: 2, state: 'done', t: 8 },
    { e: 'finding', kind: 'blocking-call', message: 'held the loop 150 ms', t: 6, site: 1, task: 1, dur: 150 },
  ]));
  m.apply(1, batch([create(1, 'child-main', 0)]));
  m.finish({ code: 0, signal: null, durationMs: 20 });
  return m.report({ command: ['python3', 'app.py'] });
}

test('the trace has a track per loop/thread, b/e slices per task, X steps and flag instants', () => {
  const trace = toChromeTrace({ ...sampleReport(), command: ['python3', 'app.py'] });
  const ev = trace.traceEvents;
  const threadNames = ev.filter((e) => e.name === 'thread_name').map((e) => e.args!.name).sort();
  assert.deepEqual(threadNames, ['asyncio (MainThread)', 'main', 'worker-1']);
  const procNames = ev.filter((e) => e.name === 'process_name').map((e) => [e.pid, e.args!.name]).sort();
  assert.deepEqual(procNames, [[1, 'python3 app.py'], [2, 'process 1']]);

  const begins = ev.filter((e) => e.ph === 'b');
  const ends = ev.filter((e) => e.ph === 'e');
  assert.equal(begins.length, 3);
  assert.equal(ends.length, 3);
  const crunchEnd = ends.find((e) => e.id === '2')!;
  assert.equal(crunchEnd.ts, 8000, 'microseconds');
  assert.equal(crunchEnd.args!.state, 'done');
  const mainEnd = ends.find((e) => e.id === '1')!;
  assert.equal(mainEnd.ts, 20000, 'a live task ends at the end of the session');
  const child = begins.find((e) => e.id === 'p1:1')!;
  assert.equal(child.pid, 2);
  assert.equal(child.ts, 100000, 'the second process is on the session clock');

  const step = ev.find((e) => e.ph === 'X')!;
  assert.deepEqual([step.ts, step.dur, step.name], [1000, 2000, 'main']);
  const flag = ev.find((e) => e.ph === 'i')!;
  assert.equal(flag.name, 'blocking-call');
  assert.equal(flag.ts, 6000);
  assert.equal(flag.args!.location, '/w/app.js:4');
  assert.equal(flag.tid, begins.find((e) => e.id === '1')!.tid, 'the flag sits on its task’s track');

  // Every timed event is ordered and the whole trace is JSON.
  const ts = ev.filter((e) => e.ts !== undefined).map((e) => e.ts!);
  assert.deepEqual(ts, [...ts].sort((a, b) => a - b));
  assert.doesNotThrow(() => JSON.parse(JSON.stringify(trace)));
});

test('an empty session gives a valid, empty trace', () => {
  const trace = toChromeTrace({ tasks: [], flags: [], loops: [] });
  assert.deepEqual(trace.traceEvents, []);
  assert.equal(trace.displayTimeUnit, 'ms');
});

test('a large report (200,000 live tasks, no duration given) still converts', () => {
  const tasks = Array.from({ length: 200_000 }, (_, i) => ({
    id: String(i), name: 'p', kind: 'promise' as const, state: 'pending' as const, parent: null, createdAt: i / 100,
  }));
  const trace = toChromeTrace({ tasks, flags: [], loops: [] });
  const ends = trace.traceEvents.filter((e) => e.ph === 'e');
  assert.equal(ends.length, 200_000);
  assert.equal(ends[ends.length - 1].ts, 1_999_990, 'live slices end at the latest time seen');
});

test('with the report’s process tree, each traced process is a trace process under its real pid', () => {
  const m = new InspectorModel();
  m.apply(0, processHello(100, 1, ['python3', 'app.py']));
  m.apply(0, batch([create(1, 'main', 0)]));
  m.apply(1, processHello(101, 100, ['python3', 'app.py']));
  m.apply(1, batch([create(1, 'child_work', 1)]));
  m.finish({ code: 0, signal: null, durationMs: 20 });
  const report = m.report({ command: ['python3', 'app.py'] });
  const ev = toChromeTrace(report).traceEvents;
  const names = ev.filter((e) => e.name === 'process_name').map((e) => [e.pid, e.args!.name]);
  assert.deepEqual(names, [[100, 'python3 app.py (pid 100)'], [101, 'python3 app.py (pid 101)']]);
  assert.deepEqual(ev.filter((e) => e.ph === 'b').map((e) => [e.name, e.pid]), [['main', 100], ['child_work', 101]]);
});
