/**
 * Progress entries (tasks an earlier delta sent whole) as the view and the extension's mirror receive
 * them: validated like whole records, merged onto the held task, and never turned into a half record.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TaskProgress, TaskView } from '../../src/model/types';
import { checkDelta } from '../../src/shared/modelGuards';
import { SessionStore } from '../../src/shared/store';
import { BROWSER_SKIP, openView, type Harness } from './harness';
import { delta, deltaMsg, progressOf, reset, task } from './sessions';

const progress = (id: string, over: Parameters<typeof progressOf>[1] = {}): TaskProgress => progressOf(id, { state: 'running', ...over });

function storeWith(...tasks: TaskView[]): SessionStore {
  const store = new SessionStore();
  store.apply(reset());
  store.apply(deltaMsg(delta(1, tasks)));
  return store;
}

describe('progress entries', () => {
  it('keep the held identity and take everything else from the entry (absent = absent now)', () => {
    const held = task('1', { stack: [{ file: '/a.js', line: 2, function: 'f' }], loop: 'L1', awaiting: ['2'], awaitAt: null, awaitSince: 4, result: 'old' });
    const store = storeWith(held, task('2'));
    store.apply(deltaMsg(delta(2, [], { progress: [progress('1', { name: 'renamed', state: 'done', endedAt: 9, runMs: 3 })] })));
    const t = store.tasks.get('1')!;
    assert.deepEqual(t, {
      id: '1', name: 'renamed', kind: held.kind, state: 'done', parent: null, awaiting: [], awaitedBy: [],
      created: held.created, createdAt: held.createdAt, stack: held.stack, loop: 'L1', endedAt: 9, runMs: 3,
    });
  });

  it('append running slices after stepsFrom, capped at the 64 the model keeps', () => {
    const store = storeWith(task('1', { steps: [[1, 1], [3, 1]] }));
    store.apply(deltaMsg(delta(2, [], { progress: [progress('1', { stepsFrom: 2, steps: [[5, 2]] })] })));
    assert.deepEqual(store.tasks.get('1')!.steps, [[1, 1], [3, 1], [5, 2]]);
    // The same delta twice (a view re-sent what its snapshot already held) changes nothing.
    store.apply(deltaMsg(delta(2, [], { progress: [progress('1', { stepsFrom: 2, steps: [[5, 2]] })] })));
    assert.deepEqual(store.tasks.get('1')!.steps, [[1, 1], [3, 1], [5, 2]]);
    store.apply(deltaMsg(delta(3, [], { progress: [progress('1', { stepsFrom: 3 })] })));
    assert.deepEqual(store.tasks.get('1')!.steps, [[1, 1], [3, 1], [5, 2]], 'no new slice keeps the held ones');
    const many = Array.from({ length: 70 }, (_, i): [number, number] => [10 + i, 1]);
    store.apply(deltaMsg(delta(4, [], { progress: [progress('1', { stepsFrom: 3, steps: many })] })));
    assert.equal(store.tasks.get('1')!.steps!.length, 64);
    assert.equal(store.unmatchedProgress, 0);
  });

  it('for a task not held are counted and skipped, never invent a record', () => {
    const store = storeWith(task('1'));
    const applied = store.apply(deltaMsg(delta(2, [task('3')], { progress: [progress('2', { name: 'ghost' }), progress('1', { name: 'kept' })] })));
    assert.equal(applied, 'applied', 'the rest of the delta still applies');
    assert.equal(store.tasks.has('2'), false);
    assert.equal(store.tasks.get('1')!.name, 'kept');
    assert.equal(store.tasks.get('3')!.name, 'task3');
    assert.equal(store.unmatchedProgress, 1);
  });

  it('count slices appended after ones this store never got', () => {
    const store = storeWith(task('1', { steps: [[1, 1]] }));
    store.apply(deltaMsg(delta(2, [], { progress: [progress('1', { stepsFrom: 4, steps: [[9, 1]] })] })));
    assert.equal(store.unmatchedProgress, 1);
    store.apply(reset());
    assert.equal(store.unmatchedProgress, 0, 'a reset starts over');
  });

  it('apply after removals and upserts: an id retired and reused in one delta stays held', () => {
    const store = storeWith(task('1'));
    store.apply(deltaMsg(delta(2, [task('1', { name: 'reborn' })], { removed: ['1'] })));
    assert.equal(store.tasks.get('1')?.name, 'reborn');
  });
});

describe('validation of progress entries', () => {
  it('leaves out malformed entries (counted like malformed records) and keeps good ones', () => {
    const good = progress('1', { stepsFrom: 2, steps: [[1, 2]], awaitAt: { file: '/a.js', line: 1, function: 'f' }, error: { type: 'E', message: 'm' } });
    const bad: unknown[] = [
      { ...progress('2'), state: 'exploded' }, { ...progress('3'), awaiting: [3] }, { ...progress('4'), name: 4 },
      { ...progress('5'), stepsFrom: -1 }, { ...progress('6'), stepsFrom: 1.5 }, { ...progress('7'), stepsFrom: 65 },
      { ...progress('8'), stepsFrom: '2' }, { ...progress('9'), steps: [[1, -1]] }, { ...progress('10'), awaitAt: { file: '/a.js', line: 1, function: 'f' } }, { ...progress('10b'), awaitAt: 0 },
      { ...progress('11'), startedAt: Number.NaN }, { ...progress('12'), error: { type: 'E' } }, { id: '13' }, null, 'x', [],
    ];
    const parsed = checkDelta(delta(1, [], { progress: [good, ...bad] as TaskProgress[] }));
    assert.deepEqual(parsed?.delta.progress, [good]);
  });

  it('drops a delta whose progress is not a list, and accepts one without progress', () => {
    assert.equal(checkDelta({ ...delta(1, []), progress: { 0: progress('1') } }), undefined);
    assert.equal(checkDelta({ ...delta(1, []), progress: null }), undefined);
    const parsed = checkDelta(delta(1, [task('1')]));
    assert.ok(parsed && parsed.delta.progress === undefined);
  });
});

describe('the view (real bundle) given progress entries', { skip: BROWSER_SKIP }, () => {
  let h: Harness;
  before(async () => {
    h = await openView();
  });
  after(async () => {
    await h?.close();
  });

  it('shows the change, and asks for a snapshot when one names a task it never got whole', async () => {
    const site = { file: '/work/app/src/server.js', line: 12, function: 'main' };
    await h.send(reset(), { type: 'delta', delta: delta(1, [task('1', { created: site, name: 'fetchUser' })]) });
    await h.send({ type: 'delta', delta: delta(2, [], { progress: [progress('1', { name: 'fetchUser(7)', awaitAt: site })] }) });
    await h.settle();
    assert.equal(await h.page.textContent('[data-task-id="1"] .name'), 'fetchUser(7)');
    assert.match(await h.page.textContent('[data-task-id="1"] .site') ?? '', /server\.js:12/, 'the held creation site stays');
    assert.deepEqual((await h.posted()).filter((m) => m.type === 'requestSnapshot'), []);

    await h.send({ type: 'delta', delta: delta(3, [], { progress: [progress('9', { name: 'ghost' })] }) });
    await h.settle();
    assert.equal(await h.page.$('[data-task-id="9"]'), null, 'no half record is shown');
    assert.deepEqual((await h.posted()).filter((m) => m.type === 'requestSnapshot'), [{ type: 'requestSnapshot', id: 2 }]);
    assert.deepEqual(await h.problems(), []);
  });
});
