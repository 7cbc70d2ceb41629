/** The search language and the rewind arithmetic, without a browser. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { flagKindsByTask, parseQuery, taskMatches, toggleStateTerm } from '../../src/webview/query';
import { momentAt, stateAt } from '../../src/webview/rewind';
import { clampWindow, laneOrder, stallsOf, tickStep, zoom } from '../../src/webview/timelineScale';
import { task } from './sessions';

describe('search words', () => {
  const t = task('1', { name: 'fetchUser', kind: 'timer', state: 'pending', created: { file: '/a/b/api.js', line: 12, function: 'load' } });
  const match = (q: string, kinds = new Map<string, string[]>()) => taskMatches(t, parseQuery(q), kinds);

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
