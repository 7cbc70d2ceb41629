/**
 * Saved sessions without VS Code: a real program's report (real agent, launcher and model) saved and
 * reopened shows the same tasks, states, counts and flags; the view's state saved mid-run reopens the
 * same; hostile or broken files are refused or trimmed, never half-applied; the Chrome trace of a report
 * has one track per loop and a slice per task.
 */
import assert from 'node:assert/strict';
import * as esbuild from 'esbuild';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { parseReport, reportToMessages, reportToTrace, storeToReport } from '../../src/extension/sessionFiles';
import { launch } from '../../src/inspection/launch';
import { InspectorModel } from '../../src/model/model';
import { locatedTask } from '../../src/model/task-shape';
import type { Report, TaskView } from '../../src/model/types';
import type { SessionMessage } from '../../src/shared/messages';
import { SessionStore } from '../../src/shared/store';

const ROOT = resolve(__dirname, '../..');
const SHOP = join(__dirname, 'fixtures/shop.js');

function storeOf(messages: SessionMessage[]): SessionStore {
  const store = new SessionStore();
  for (const m of messages) assert.equal(store.apply(m), 'applied');
  return store;
}

/**
 * Runs the shop fixture with the real agent (built from the sources into a private folder: dist/ may be
 * rebuilt by someone else meanwhile) and returns the model's final report.
 */
async function realReport(): Promise<Report> {
  const dist = mkdtempSync(join(tmpdir(), 'ai-sessions-'));
  const agent = { absWorkingDir: ROOT, platform: 'node', target: 'node18', format: 'cjs', bundle: true, logLevel: 'warning' } as const;
  await esbuild.build({ ...agent, entryPoints: ['src/agents/node/index.ts'], outfile: join(dist, 'agent-node.js') });
  await esbuild.build({ ...agent, entryPoints: ['src/agents/node/writer-thread.ts'], outfile: join(dist, 'agent-node-writer.js') });
  const model = new InspectorModel({ maxFinishedTasks: 5000 });
  const exit = await new Promise<{ code: number | null; signal: string | null }>((done, fail) => {
    launch({ command: ['node', SHOP], cwd: ROOT, distDir: dist }, {
      message: (conn, msg) => model.apply(conn, msg),
      stdout: () => undefined,
      stderr: () => undefined,
      warning: () => undefined,
      exit: (code, signal) => done({ code, signal }),
    }).catch(fail);
  });
  rmSync(dist, { recursive: true, force: true });
  model.finish(exit);
  return model.report({ command: ['node', SHOP] });
}

describe('saved sessions', () => {
  it('reopens a real program\'s report with the same tasks, states, counts and flags', async () => {
    const report = await realReport();
    assert.ok(report.tasks.length > 5, `${report.tasks.length} tasks`);
    const parsed = parseReport(JSON.stringify(report));
    assert.ok(parsed.ok);
    assert.equal(parsed.skipped, 0);
    const store = storeOf(reportToMessages(parsed.report));
    assert.equal(store.status, 'ended');
    assert.equal(store.exit?.exitCode, report.exitCode);
    assert.deepEqual(store.counts, report.counts);
    assert.equal(store.flags.size, report.flags.length);
    assert.equal(store.now, report.durationMs);
    for (const t of report.tasks) {
      const shown = store.tasks.get(t.id);
      assert.ok(shown, t.id);
      assert.equal(shown.state, t.state);
      assert.equal(shown.name, t.name);
      assert.equal(shown.endedAt, t.endedAt ?? undefined);
    }
    // Who awaits whom is rebuilt from `awaiting` (the report stores one direction).
    const awaited = report.tasks.find((t) => t.awaiting.length > 0);
    if (awaited) assert.ok(store.tasks.get(awaited.awaiting[0])?.awaitedBy.includes(awaited.id));
  });

  it('saves the view\'s state mid-run and reopens it the same', () => {
    const recording: SessionMessage[] = JSON.parse(readFileSync(join(__dirname, 'fixtures/shop.session.json'), 'utf8'));
    const live = storeOf(recording.slice(0, 2)); // reset + first delta: still running
    assert.equal(live.status, 'running');
    const report = storeToReport(live)!;
    assert.match(report.agentErrors.join(), /still running/);
    const parsed = parseReport(JSON.stringify(report));
    assert.ok(parsed.ok);
    const reopened = storeOf(reportToMessages(parsed.report));
    assert.deepEqual([...reopened.tasks.keys()].sort(), [...live.tasks.keys()].sort());
    // Site ids are the file's own once reopened: compared resolved, through each store's site table.
    const located = (store: SessionStore, t: TaskView | undefined) => t && { ...locatedTask(t, store.site), awaitedBy: [] };
    for (const [id, t] of live.tasks) assert.deepEqual(located(reopened, reopened.tasks.get(id)), located(live, t), id);
    assert.deepEqual(reopened.counts, live.counts);
  });

  it('keeps when each await began through save and reopen; a file from before that field still opens', () => {
    const waiter = { id: '1', name: 'main', kind: 'task', state: 'pending', parent: null, awaiting: ['2'], created: null,
      createdAt: 0, startedAt: 0, endedAt: null, awaitAt: { file: '/a.py', line: 3, function: 'main' }, awaitSince: 12.5 };
    const awaited = { ...waiter, id: '2', name: 'fetch', awaiting: [], awaitAt: undefined, awaitSince: undefined };
    const file = (tasks: object[]) => JSON.stringify({ schema: 1, runtime: 'python', command: ['python3', 'a.py'], tasks, flags: [], durationMs: 20 });
    const parsed = parseReport(file([waiter, awaited]));
    assert.ok(parsed.ok && parsed.skipped === 0);
    const store = storeOf(reportToMessages(parsed.report));
    assert.equal(store.tasks.get('1')?.awaitSince, 12.5);
    assert.equal(storeToReport(store)?.tasks.find((t) => t.id === '1')?.awaitSince, 12.5);
    const older = parseReport(file([{ ...waiter, awaitSince: undefined }, awaited]));
    assert.ok(older.ok && older.skipped === 0);
    const reopened = storeOf(reportToMessages(older.report)).tasks.get('1');
    assert.deepEqual([reopened?.awaiting, reopened?.awaitSince], [['2'], undefined]);
    const malformed = parseReport(file([{ ...waiter, awaitSince: 'soon' }]));
    assert.ok(malformed.ok && malformed.skipped === 1, 'a malformed await time leaves the record out');
  });

  it('refuses files that are not reports and leaves out malformed records', () => {
    const notJson = parseReport('{');
    assert.ok(!notJson.ok && /^not JSON/.test(notJson.error));
    assert.equal(parseReport('{"schema":2}').ok, false);
    assert.equal(parseReport('[]').ok, false);
    assert.equal(parseReport('{"schema":1,"runtime":"ruby","command":[],"tasks":[],"flags":[]}').ok, false);
    const good = { id: '1', name: '<img src=x onerror=alert(1)>', kind: 'task', state: 'done', parent: null, awaiting: [], created: null, createdAt: 0, startedAt: 1, endedAt: 2 };
    const bad = [
      { ...good, id: 2 }, { ...good, id: '3', state: 'exploded' }, { ...good, id: '4', createdAt: 'soon' },
      { ...good, id: '5', steps: [[1, 'x']] }, { ...good, id: '6', awaiting: 'everything' }, null, 'task',
    ];
    const text = JSON.stringify({ schema: 1, runtime: 'node', command: ['node', 'x.js'], tasks: [good, ...bad], flags: [{ kind: 'deadlock' }], durationMs: 5 });
    const parsed = parseReport(text);
    assert.ok(parsed.ok);
    assert.equal(parsed.skipped, bad.length + 1);
    assert.deepEqual(parsed.report.tasks.map((t) => t.id), ['1']);
    assert.deepEqual(parsed.report.counts, { queued: 0, pending: 0, running: 0, done: 1, failed: 0, cancelled: 0 });
    const store = storeOf(reportToMessages(parsed.report));
    assert.equal(store.tasks.get('1')?.name, good.name);
    // Keys that would be special on a plain object are just ids.
    const proto = parseReport(JSON.stringify({ schema: 1, runtime: 'python', command: [], tasks: [{ ...good, id: '__proto__' }], flags: [] }));
    assert.ok(proto.ok && storeOf(reportToMessages(proto.report)).tasks.has('__proto__'));
  });

  it('exports a Chrome trace with a track per loop, a slice per task, steps and flags', () => {
    const t = (id: string, loop: string, over = {}) => ({
      id, name: `t${id}`, kind: 'task' as const, state: 'done' as const, parent: null, awaiting: [], created: null,
      createdAt: 1, startedAt: 1, endedAt: 9, loop, ...over,
    });
    const report: Report = {
      schema: 1, runtime: 'python', command: ['python3', 'app.py'], exitCode: 0, signal: null, durationMs: 10,
      droppedEvents: 0, retiredTasks: 0, counts: { queued: 0, pending: 0, running: 0, done: 3, failed: 0, cancelled: 0 },
      loops: [{ id: 'L1', name: 'main loop', thread: 'MainThread' }, { id: 'L2', name: 'helper loop', thread: 'helper' }],
      tasks: [t('1', 'L1', { steps: [[1, 2], [5, 1]] }), t('2', 'L1'), t('3', 'L2')],
      flags: [{ kind: 'blocking-call', message: 'time.sleep', location: null, task: '3', durationMs: 2, t: 6 }],
      agentErrors: [],
    };
    const trace = JSON.parse(JSON.stringify(reportToTrace(report))) as ReturnType<typeof reportToTrace>;
    const threads = trace.traceEvents.filter((e) => e.name === 'thread_name').map((e) => e.args?.name);
    assert.deepEqual(threads.sort(), ['helper loop (helper)', 'main loop (MainThread)']);
    assert.equal(trace.traceEvents.filter((e) => e.ph === 'b').length, 3);
    assert.equal(trace.traceEvents.filter((e) => e.ph === 'e').length, 3);
    assert.equal(trace.traceEvents.filter((e) => e.ph === 'X').length, 2);
    assert.equal(trace.traceEvents.filter((e) => e.ph === 'i').length, 1);
  });

  it('keeps the process tree: a saved multi-process report reopens with every process ended, and saves again the same', () => {
    const proc = (pid: number, parentPid: number | null, idPrefixes: string[], exitCode: number | null, tasks: number) =>
      ({ pid, parentPid, command: ['node', 'cluster.js'], exitCode, idPrefixes, tasks, loops: 0 });
    const t = (id: string) => ({ id, name: id, kind: 'promise', state: 'done', parent: null, awaiting: [], created: null, createdAt: 1, startedAt: null, endedAt: 2 });
    const file = {
      schema: 1, runtime: 'node', command: ['node', 'cluster.js'], exitCode: 0, durationMs: 10, droppedEvents: 0, retiredTasks: 0,
      loops: [], tasks: [t('1'), t('p1:1'), t('p2:1')], flags: [], agentErrors: [],
      processes: [proc(10, 1, [''], 0, 1), proc(11, 10, ['p1:'], 0, 1), proc(12, 10, ['p2:'], null, 1), { pid: 'x' }],
    };
    const parsed = parseReport(JSON.stringify(file));
    assert.ok(parsed.ok);
    const store = storeOf(reportToMessages(parsed.report));
    assert.deepEqual(store.processes.map((p) => [p.pid, p.parentPid, p.exited, p.exitCode]), [[10, 1, true, 0], [11, 10, true, 0], [12, 10, true, null]]);
    assert.deepEqual(storeToReport(store)?.processes, file.processes.slice(0, 3));
  });
});
