/** The search language and the rewind arithmetic, without a browser. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { flagKindsByTask, parseQuery, taskMatches, toggleStateTerm } from '../../src/webview/query';
import { awaitUnknown, momentAt, stateAt } from '../../src/webview/rewind';
import { clampWindow, laneOrder, stallsOf, tickStep, zoom } from '../../src/webview/timelineScale';
import { siteId, siteOf, task } from './sessions';

describe('search words', () => {
  const t = task('1', { name: 'fetchUser', kind: 'timer', state: 'pending', created: { file: '/a/b/api.js', line: 12, function: 'load' } });
  const match = (q: string, kinds = new Map<string, string[]>()) => taskMatches(t, parseQuery(q), kinds, siteOf);

  it('matches free words on name or site, all words required, case-insensitive', () => {
    assert.ok(match('FETCH'));
    assert.ok(match('api.js:12'));
    assert.ok(match('load fetch'));
    assert.ok(!match('fetch other'));
  });

  it('narrows by field, with alternatives and negation', () => {
    assert.ok(match('state:pend'));
    assert.ok(match('state:done,pending'));
    assert.ok(!match('-state:pending'));
    assert.ok(match('kind:timer name:user site:api'));
    assert.ok(!match('name:api'));
    assert.ok(match('state:'), 'an unfinished word constrains nothing');
  });

  it('matches flags raised against the task', () => {
    const kinds = flagKindsByTask([{ id: 'f', kind: 'blocking-call', message: '', location: null, task: '1', t: 0 }]);
    assert.ok(match('flag:', kinds));
    assert.ok(match('flag:blocking', kinds));
    assert.ok(!match('flag:deadlock', kinds));
    assert.ok(!match('flag:'));
  });

  it('toggles the state word', () => {
    assert.equal(toggleStateTerm('fetch', 'done'), 'fetch state:done');
    assert.equal(toggleStateTerm('fetch state:pending', 'done'), 'fetch state:done');
    assert.equal(toggleStateTerm('fetch state:done', 'done'), 'fetch');
  });
});

describe('rewind', () => {
  it('gives each task its state at a time', () => {
    const done = task('1', { state: 'done', createdAt: 10, startedAt: 20, endedAt: 50, steps: [[20, 5], [40, 10]] });
    assert.equal(stateAt(done, 5), undefined);
    assert.equal(stateAt(done, 15), 'queued');
    assert.equal(stateAt(done, 22), 'running');
    assert.equal(stateAt(done, 30), 'pending');
    assert.equal(stateAt(done, 50), 'done');
    const running = task('2', { state: 'running', createdAt: 0, startedAt: 5 });
    assert.equal(stateAt(running, 10), 'running');
    const queued = task('3', { state: 'queued', createdAt: 0 });
    assert.equal(stateAt(queued, 10), 'queued');
  });

  it('rebuilds tasks, counts and flags at a time, reusing unchanged records', () => {
    const a = task('1', { state: 'done', createdAt: 0, startedAt: 0, endedAt: 10, result: 'x' });
    const b = task('2', { state: 'pending', createdAt: 20, startedAt: 20 });
    const tasks = new Map([['1', a], ['2', b]]);
    const flags = [{ id: 'f1', kind: 'deadlock', message: '', location: null, task: null, t: 30 }];
    const early = momentAt(tasks, flags, 5);
    assert.deepEqual([...early.tasks.keys()], ['1']);
    assert.equal(early.tasks.get('1')?.state, 'pending');
    assert.equal(early.tasks.get('1')?.result, undefined);
    assert.equal(early.counts.pending, 1);
    assert.equal(early.flags.length, 0);
    const late = momentAt(tasks, flags, 40);
    assert.equal(late.tasks.get('1'), a);
    assert.equal(late.tasks.get('2'), b);
    assert.equal(late.flags.length, 1);
  });
});

describe('rewind: who awaits whom', () => {
  const at = (line: number) => ({ file: '/work/app/main.py', line, function: 'main' });
  /** main (pending since 3000 on fetch, at line 9) was running 0–1000, pending on something unrecorded until 2000, running 2000–3000. */
  const session = () => {
    const main = task('1', { name: 'main', kind: 'task', createdAt: 0, startedAt: 0, steps: [[0, 1000], [2000, 1000]],
      awaiting: ['2'], awaitAt: at(9), awaitSince: 3000 });
    const fetch = task('2', { name: 'fetch', kind: 'task', createdAt: 500, startedAt: 600, awaitedBy: ['1'] });
    const timer = task('3', { name: 'sleep', kind: 'timer', createdAt: 0, state: 'done', endedAt: 5000 });
    const worker = task('4', { name: 'worker', kind: 'task', createdAt: 0, startedAt: 0, state: 'running', steps: [[0, 10], [4000, 2000]] });
    return new Map([main, fetch, timer, worker].map((t) => [t.id, t]));
  };

  it('drops the current links before the await began, and says what it waited on then is not known', () => {
    const m = momentAt(session(), [], 1500).tasks;
    const main = m.get('1')!;
    assert.equal(main.state, 'pending');
    assert.deepEqual(main.awaiting, []);
    assert.equal(main.awaitAt, undefined);
    assert.equal(main.awaitSince, undefined);
    assert.ok(awaitUnknown(main));
    assert.deepEqual(m.get('2')!.awaitedBy, [], 'fetch was not yet awaited by main');
    assert.ok(!awaitUnknown(m.get('3')!), 'a timer waits on the clock, not on tasks');
    assert.ok(awaitUnknown(m.get('4')!), 'running now, pending then: on what is not recorded');
  });

  it('drops them while the task was running, even after the await time of an earlier slice', () => {
    const m = momentAt(session(), [], 2500).tasks;
    assert.equal(m.get('1')!.state, 'running');
    assert.deepEqual(m.get('1')!.awaiting, []);
    assert.ok(!awaitUnknown(m.get('1')!));
    assert.deepEqual(m.get('2')!.awaitedBy, []);
  });

  it('shows them once the await began, on both ends, reusing the present records', () => {
    const tasks = session();
    const m = momentAt(tasks, [], 3500).tasks;
    assert.equal(m.get('1'), tasks.get('1'));
    assert.equal(m.get('2'), tasks.get('2'));
    assert.deepEqual(m.get('1')!.awaiting, ['2']);
    assert.deepEqual(m.get('1')!.awaitAt, siteId(at(9)));
    assert.deepEqual(m.get('2')!.awaitedBy, ['1']);
    assert.ok(!awaitUnknown(m.get('1')!));
  });

  it('treats links without an await time (an older saved session) as unknown when rewound', () => {
    const tasks = session();
    const old = { ...tasks.get('1')! };
    delete old.awaitSince;
    tasks.set('1', old);
    const m = momentAt(tasks, [], 3500).tasks;
    assert.deepEqual(m.get('1')!.awaiting, []);
    assert.ok(awaitUnknown(m.get('1')!));
    assert.deepEqual(m.get('2')!.awaitedBy, []);
  });

  it('keeps an ended task as the model left it, and scrubbing back and forth gives the same views', () => {
    const tasks = session();
    const early = momentAt(tasks, [], 1500).tasks;
    assert.equal(momentAt(tasks, [], 1500).tasks.get('1'), early.get('1'), 'cached per record and time');
    const late = momentAt(tasks, [], 6000).tasks;
    assert.equal(late.get('3'), tasks.get('3'));
    assert.deepEqual(late.get('3')!.awaiting, []);
  });
});

describe('timeline arithmetic', () => {
  it('zooms around the anchor and clamps to the session', () => {
    assert.deepEqual(zoom({ start: 0, end: 100 }, 0.5, 0, 100), { start: 0, end: 50 });
    assert.deepEqual(zoom({ start: 0, end: 100 }, 0.5, 1, 100), { start: 50, end: 100 });
    assert.deepEqual(zoom({ start: 0, end: 100 }, 4, 0.5, 100), { start: 0, end: 100 });
    assert.deepEqual(clampWindow(90, 120, 100), { start: 70, end: 100 });
    assert.equal(tickStep(7000, 600), 1000);
    assert.equal(tickStep(10, 700), 1);
  });

  it('orders lanes by creation and turns blocking calls into stalls', () => {
    const lanes = laneOrder([task('10', { createdAt: 5 }), task('2', { createdAt: 5 }), task('1', { createdAt: 1 })]);
    assert.deepEqual(lanes.map((t) => t.id), ['1', '2', '10']);
    const stalls = stallsOf([
      { id: 'a', kind: 'blocking-call', message: '', location: null, task: null, t: 300, durationMs: 250 },
      { id: 'b', kind: 'deadlock', message: '', location: null, task: null, t: 300, durationMs: 250 },
    ]);
    assert.deepEqual(stalls.map((s) => [s.start, s.end]), [[50, 300]]);
  });
});
