/** One task shape: every TaskView field survives the report and a progress entry, with no per-field copy to forget. */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { reportTaskOf, TASK_FIELDS, taskViewOfReport, withProgress } from '../../src/model/task-shape';
import type { Location, SiteId, TaskProgress, TaskView } from '../../src/model/types';

const loc = (line: number) => line;
/** A site table: SiteId n is line n of /app/a.py. */
const site = (id: SiteId): Location => ({ file: '/app/a.py', line: id, function: 'f' });
/** Interning a saved Location back: the same place, the same id. */
const intern = (l: Location): SiteId => l.line;

/** A task with every field set. */
const full: TaskView = {
  id: '3', name: 'fetch', kind: 'task', state: 'failed', parent: '1', awaiting: ['4'], awaitedBy: ['1'],
  created: loc(1), createdAt: 2, stack: [loc(1), loc(9)], foundAtAttach: 'definition', loop: '0',
  awaitAt: loc(5), awaitSince: 3, thread: 'worker-1', startedAt: 2.5, endedAt: 7, runMs: 1.5,
  error: { type: 'ValueError', message: 'bad', stack: [loc(6)] }, result: 'x', steps: [[2.5, 1], [5, 0.5]],
};

test('the test task sets every listed field', () => {
  assert.deepEqual(Object.keys(full).sort(), [...TASK_FIELDS].sort());
});

test('a task goes to the report and back unchanged (sites resolved there, interned back; who awaits it rebuilt)', () => {
  const saved = JSON.parse(JSON.stringify(reportTaskOf(full, site)));
  assert.equal('awaitedBy' in saved, false);
  assert.deepEqual(saved.created, site(1));
  assert.deepEqual(saved.error.stack, [site(6)]);
  assert.deepEqual(taskViewOfReport(saved, ['1'], intern), full);
  const notStarted = reportTaskOf({ ...full, startedAt: undefined, endedAt: undefined }, site);
  assert.deepEqual([notStarted.startedAt, notStarted.endedAt], [null, null]);
  const back = taskViewOfReport(notStarted, [], intern);
  assert.equal('startedAt' in back || 'endedAt' in back, false, 'unknown times are absent again');
});

test('a file\'s extra keys do not reach the view', () => {
  const fromFile = { ...reportTaskOf(full, site), html: '<b>', __proto__: null } as unknown as Parameters<typeof taskViewOfReport>[0];
  assert.equal('html' in taskViewOfReport(fromFile, [], intern), false);
});

test('a site the table does not have resolves to null, and a stack leaves it out', () => {
  const partial = (id: SiteId): Location | null => (id === 1 ? site(1) : null);
  const r = reportTaskOf(full, partial);
  assert.deepEqual([r.created, r.awaitAt, r.stack, r.error?.stack], [site(1), null, [site(1)], []]);
});

test('a progress entry keeps the identity fields held and replaces the rest (absent = absent now)', () => {
  const p: TaskProgress = { id: '3', name: 'fetch(2)', state: 'pending', awaiting: [], awaitedBy: [], awaitAt: null, stepsFrom: 1, steps: [[9, 1]] };
  const t = withProgress(full, p);
  assert.deepEqual(t, {
    id: '3', name: 'fetch(2)', kind: 'task', state: 'pending', parent: '1', awaiting: [], awaitedBy: [], created: loc(1),
    createdAt: 2, stack: [loc(1), loc(9)], foundAtAttach: 'definition', loop: '0', awaitAt: null, steps: [[2.5, 1], [9, 1]],
  });
});
