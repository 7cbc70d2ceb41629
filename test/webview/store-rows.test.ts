/** The view's state (applying deltas in order) and how it becomes rows (sections, nesting, folding). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TaskView } from '../../src/model/types';
import { flagMessage } from '../../src/webview/flagKinds';
import { displayText } from '../../src/webview/format';
import { buildRows } from '../../src/webview/rows';
import type { Expansion, Row } from '../../src/webview/rowTypes';
import { SessionStore } from '../../src/shared/store';
import { ProcessIndex, withProcess } from '../../src/shared/processes';
import type { ProcessView } from '../../src/model/types';
import { countsOf, delta, deltaMsg, gatherScenario, reset, siteOf, task } from './sessions';

const open = (): Expansion => ({ collapsedSections: new Set(), collapsedTasks: new Set() });
const label = (r: Row): string =>
  r.kind === 'section' ? `${'  '.repeat(r.level - 1)}[${r.state} ${r.count}]` : r.kind === 'flag' ? `  ! ${r.flag.kind}`
    : r.kind === 'site' ? `${'  '.repeat(r.level)}@${r.site?.line ?? '?'} ${r.count}`
      : r.kind === 'process' ? `${'  '.repeat(r.level - 1)}<pid ${r.process.pid} ${r.count}${r.process.exited ? ` exited ${r.process.exitCode}` : ''}>`
        : r.kind === 'loop' ? `${'  '.repeat(r.level - 1)}~${r.loop.name}` : `${'  '.repeat(r.level)}${r.task.name}`;
const rowsOf = (tasks: TaskView[], exp = open()): string[] =>
  buildRows(new Map(tasks.map((t) => [t.id, t])), countsOf(tasks), exp).map(label);

describe('session store', () => {
  it('applies deltas in order, ignores stale ones, asks for a snapshot when it has no session', () => {
    const s = new SessionStore();
    assert.equal(s.apply(deltaMsg(delta(1, [task('1')]))), 'needSnapshot');
    s.apply(reset());
    assert.equal(s.apply(deltaMsg(delta(2, [task('1'), task('2')]))), 'applied');
    assert.equal(s.apply(deltaMsg(delta(3, [task('2', { state: 'done' })], { removed: ['1'] }))), 'applied');
    assert.equal(s.apply(deltaMsg(delta(1, [task('2', { state: 'pending' })]))), 'stale');
    assert.deepEqual([...s.tasks.values()].map((t) => `${t.id}:${t.state}`), ['2:done']);
    s.apply({ type: 'ended', exitCode: 3, signal: null });
    assert.equal(s.status, 'ended');
    assert.deepEqual(s.exit, { exitCode: 3, signal: null });
  });

  it('a snapshot replayed into a fresh store reproduces the state', () => {
    const a = new SessionStore();
    a.apply(reset());
    a.apply(deltaMsg(delta(5, gatherScenario(), { retired: 4, dropped: 2 })));
    const b = new SessionStore();
    b.apply(reset());
    b.apply(deltaMsg(a.snapshot()));
    assert.deepEqual([...b.tasks.values()], [...a.tasks.values()]);
    assert.deepEqual([b.retired, b.dropped, b.seq, b.counts], [a.retired, a.dropped, a.seq, a.counts]);
  });
});

describe('rows', () => {
  it('orders sections Running, Pending, Queued, Done, Failed, Cancelled and nests within a section', () => {
    assert.deepEqual(rowsOf(gatherScenario()), [
      '[running 1]', '  Timeout',
      '[pending 4]', '  main', '    Promise.all', '    fetchInvoices', '      TCPWRAP',
      '[queued 1]', '  processPayment',
      '[done 2]', '  fetchUser', '  fetchOrders',
      '[failed 1]', '  readConfig',
      '[cancelled 1]', '  refreshCache',
    ]);
  });

  it('folds sections and tasks, and announces positions among siblings', () => {
    const exp = open();
    exp.collapsedSections.add('done');
    exp.collapsedTasks.add('5');
    const rows = buildRows(new Map(gatherScenario().map((t) => [t.id, t])), countsOf(gatherScenario()), exp);
    assert.ok(!rows.map(label).includes('  fetchUser'));
    assert.ok(!rows.map(label).includes('      TCPWRAP'));
    const inv = rows.find((r) => r.kind === 'task' && r.task.id === '5');
    assert.deepEqual(inv && [inv.pos, inv.size, inv.kind === 'task' && inv.expanded], [2, 2, false]);
  });

  it('shows tasks caught in a parent cycle instead of losing them', () => {
    const tasks = [task('1', { parent: '2', name: 'a' }), task('2', { parent: '1', name: 'b' }), task('3', { name: 'c' })];
    const shown = rowsOf(tasks);
    assert.equal(shown.length, 4);
    assert.ok(shown.some((l) => l.trim() === 'a') && shown.some((l) => l.trim() === 'b'));
  });

  it('groups by creating task into one tree, whatever the states', () => {
    const tasks = gatherScenario();
    const rows = buildRows(new Map(tasks.map((t) => [t.id, t])), countsOf(tasks), open(), [], 'creator').map(label);
    assert.equal(rows[0], '[all 10]');
    assert.equal(rows[1], '  main');
    assert.ok(rows.includes('    fetchUser') && rows.includes('    readConfig') && rows.includes('      TCPWRAP'));
    assert.equal(rows.length, 11);
  });

  it('groups by creation site, most tasks first, folded until unfolded', () => {
    const site = (line: number) => ({ file: '/a/pool.js', line, function: 'spawn' });
    const tasks = [
      ...Array.from({ length: 5 }, (_, i) => task(String(i + 1), { created: site(7), state: i === 0 ? 'failed' : 'done' })),
      task('9', { created: site(3) }), task('10', { created: null }),
    ];
    const map = new Map(tasks.map((t) => [t.id, t]));
    const exp: Expansion = { ...open(), expandedSites: new Set() };
    const folded = buildRows(map, countsOf(tasks), exp, [], 'site', undefined, [], siteOf);
    assert.deepEqual(folded.map(label), ['[sites 7]', '  @7 5', '  @3 1', '  @? 1']);
    const seven = folded[1];
    assert.ok(seven.kind === 'site' && seven.states.done === 4 && seven.states.failed === 1);
    exp.expandedSites!.add(seven.key);
    const unfolded = buildRows(map, countsOf(tasks), exp, [], 'site', undefined, [], siteOf);
    assert.equal(unfolded.length, 4 + 5);
    assert.ok(unfolded.slice(2, 7).every((r) => r.kind === 'task' && r.level === 2 && r.parentIndex === 1));
  });

  it('handles a 50,000-deep promise chain without recursion', () => {
    const tasks = Array.from({ length: 50_000 }, (_, i) => task(String(i), { parent: i === 0 ? null : String(i - 1) }));
    const rows = buildRows(new Map(tasks.map((t) => [t.id, t])), countsOf(tasks), open());
    assert.equal(rows.length, 50_001);
    const last = rows.at(-1);
    assert.equal(last?.kind === 'task' && last.level, 50_000);
  });
});

/** A cluster: the primary (pid 100, its tasks unprefixed) and two workers, the second one ended. */
const cluster = (): ProcessView[] => [
  { pid: 100, parentPid: 1, command: ['node', '/app/cluster.js'], idPrefixes: [''], exited: false, exitCode: null },
  { pid: 101, parentPid: 100, command: ['node', '/app/cluster.js'], idPrefixes: ['p1:', 'p3:'], exited: false, exitCode: null },
  { pid: 102, parentPid: 100, command: ['node', '/app/cluster.js'], idPrefixes: ['p2:'], exited: true, exitCode: 3 },
];
const clusterTasks = (): TaskView[] => [
  task('1', { name: 'primary', state: 'pending' }),
  task('p1:1', { name: 'serve', state: 'pending' }), task('p1:2', { name: 'handler', parent: 'p1:1', state: 'pending' }),
  task('p3:1', { name: 'job', state: 'running' }), task('p2:1', { name: 'last', state: 'done' }),
];

describe('process tree', () => {
  it('shows each process under its parent with its loops and its tasks grouped as chosen; one process looks as before', () => {
    const tasks = new Map(clusterTasks().map((t) => [t.id, t]));
    const loops = [{ id: 'p1:1', name: 'main loop', thread: 'MainThread' }];
    const rows = buildRows(tasks, countsOf(clusterTasks()), open(), [], 'state', new ProcessIndex(cluster()), loops);
    assert.deepEqual(rows.map(label), [
      '<pid 100 1>', '  [pending 1]', '    primary',
      '  <pid 101 3>', '    ~main loop', '    [running 1]', '      job', '    [pending 2]', '      serve', '        handler',
      '  <pid 102 1 exited 3>', '    [done 1]', '      last',
    ]);
    const worker = rows[3];
    assert.ok(worker.kind === 'process' && worker.parentIndex === 0 && worker.pos === 1 && worker.size === 2);
    const handler = rows.find((r) => r.kind === 'task' && r.task.id === 'p1:2');
    assert.ok(handler?.kind === 'task' && rows[rows[handler.parentIndex].parentIndex]?.kind === 'section');
    const one = buildRows(tasks, countsOf(clusterTasks()), open(), [], 'state', new ProcessIndex(cluster().slice(0, 1)));
    assert.deepEqual(one.map(label), rowsOf(clusterTasks()));
  });

  it('folds a process (and the processes under it) and a section of one process only', () => {
    const tasks = new Map(clusterTasks().map((t) => [t.id, t]));
    const exp: Expansion = { ...open(), collapsedKeys: new Set(['#section:101:pending']) };
    const folded = buildRows(tasks, countsOf(clusterTasks()), exp, [], 'state', new ProcessIndex(cluster()));
    assert.ok(folded.map(label).includes('    [pending 2]') && !folded.map(label).includes('      serve'));
    assert.ok(folded.map(label).includes('  [pending 1]') && folded.map(label).includes('    primary'));
    exp.collapsedKeys!.add('#process:100');
    assert.deepEqual(buildRows(tasks, countsOf(clusterTasks()), exp, [], 'creator', new ProcessIndex(cluster())).map(label), ['<pid 100 1>']);
  });

  it('names a flag\'s process when there are several (by the pid that raised it, else by its task)', () => {
    const procs = new ProcessIndex(cluster());
    assert.equal(withProcess('Blocking call', procs, { pid: 101, task: null }), 'Blocking call (pid 101, cluster.js)');
    assert.equal(withProcess('Pending at exit', procs, { task: 'p2:1' }), 'Pending at exit (pid 102, cluster.js)');
    assert.equal(withProcess('Blocking call', new ProcessIndex(cluster().slice(0, 1)), { pid: 100, task: null }), 'Blocking call');
  });

  it('the store takes the process tree when a delta carries it, keeps it otherwise, and a snapshot replays it', () => {
    const s = new SessionStore();
    s.apply(reset());
    s.apply(deltaMsg(delta(1, clusterTasks(), { processes: cluster() })));
    s.apply(deltaMsg(delta(2, [task('p1:3')])));
    assert.deepEqual(s.processes.map((p) => p.pid), [100, 101, 102]);
    const b = new SessionStore();
    b.apply(reset());
    b.apply(deltaMsg(s.snapshot()));
    assert.deepEqual(b.processes, s.processes);
    s.apply(reset());
    assert.deepEqual(s.processes, []);
  });
});

describe('display text', () => {
  it('clips, and shows control and bidi characters as escapes', () => {
    assert.equal(displayText('a\nb\u0007c\u202ed'), 'a\\nb\\x07c\\u202ed');
    assert.equal(displayText('x'.repeat(1000), 10), `${'x'.repeat(10)}… (1,000 chars)`);
    assert.equal(displayText('héllo wörld ✓'), 'héllo wörld ✓');
  });
});

describe('flag messages', () => {
  it('lead with the kind and state the duration once', () => {
    assert.equal(flagMessage({ kind: 'blocking-call', message: 'fs.readFileSync held the loop', durationMs: 240.4 }),
      'Blocking call (240 ms): fs.readFileSync held the loop');
    assert.equal(flagMessage({ kind: 'blocking-call', message: 'a task step blocked the loop for 250 ms', durationMs: 250.2 }),
      'Blocking call: a task step blocked the loop for 250 ms');
    assert.equal(flagMessage({ kind: 'never-awaited', message: 'Never awaited: coroutine Cache.refresh' }), 'Never awaited: coroutine Cache.refresh');
    // A kind no front end knows yet (agents may add kinds) is titled from its name.
    assert.equal(flagMessage({ kind: 'loop-closed-twice', message: 'loop.close() was called twice' }),
      'loop closed twice: loop.close() was called twice');
  });
});
