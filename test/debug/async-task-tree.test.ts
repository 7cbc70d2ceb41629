/** The Async Tasks view's content: groups by loop, the paused task first, await chains innermost first. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { awaitChain, groupTasks } from '../../src/extension/debug/asyncTaskTree';
import type { Location, LoopView, TaskView } from '../../src/model/types';

/** SiteId n is line n of /w/app.js (the site table). */
const at = (line: number) => line;
const site = (id: number | null | undefined): Location | null => (id ? { file: '/w/app.js', line: id, function: 'f' } : null);
const task = (id: string, extra: Partial<TaskView> = {}): TaskView => ({
  id, name: id, kind: 'promise', state: 'pending', parent: null, awaiting: [], awaitedBy: [], created: at(1), createdAt: Number(id.replace(/\D/g, '')) || 0, ...extra,
});

test('tasks are grouped by loop, live ones only while running, the paused task first', () => {
  const loops = new Map<string, LoopView>([['p1:1', { id: 'p1:1', name: 'worker 2 (resize.js)', thread: 'worker 2' }]]);
  const tasks = [task('t1'), task('t2', { state: 'done' }), task('t3', { state: 'running' }), task('t4', { loop: 'p1:1' })];
  const running = groupTasks(tasks, loops, 't3', false);
  assert.deepEqual(running.map((g) => [g.label, g.tasks.map((t) => t.id)]), [
    ['main thread', ['t3', 't1']],
    ['worker 2 (resize.js) (worker 2)', ['t4']],
  ]);
  const ended = groupTasks(tasks, loops, null, true);
  assert.deepEqual(ended[0].tasks.map((t) => t.id), ['t1', 't3', 't2'], 'final states listed once the program ended, after live ones');
  const pausedInWorker = groupTasks(tasks, loops, 't4', false);
  assert.equal(pausedInWorker[0].label, 'worker 2 (resize.js) (worker 2)', 'the paused task\'s group comes first');
});

test('an await chain goes from the innermost awaited thing up to the root task, each task once', () => {
  const byId = new Map<string, TaskView>([
    ['main', task('main', { awaiting: ['checkout'], awaitAt: at(30) })],
    ['checkout', task('checkout', { awaiting: ['pay'], awaitedBy: ['main', 'other'], awaitAt: at(20) })],
    ['pay', task('pay', { awaiting: ['timer'], awaitedBy: ['checkout'], awaitAt: at(10) })],
    ['timer', task('timer', { kind: 'timer', awaitedBy: ['pay'], created: at(3) })],
    ['other', task('other', { awaiting: ['checkout'] })],
  ]);
  const chain = awaitChain(byId.get('checkout')!, (id) => byId.get(id), site);
  assert.deepEqual(chain.map((l) => [l.task.id, l.role, l.at?.line]), [
    ['timer', 'awaited', 3], ['pay', 'awaited', 10], ['checkout', 'self', 20], ['main', 'awaiter', 30],
  ]);
  byId.set('timer', task('timer', { awaiting: ['checkout'], awaitedBy: ['pay'] }));
  assert.equal(awaitChain(byId.get('checkout')!, (id) => byId.get(id), site).length, 4, 'a cycle stops the walk');
});
