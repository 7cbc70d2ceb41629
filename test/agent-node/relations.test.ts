/** Promise relations and states as the agent reports them, for CommonJS and ESM programs. */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { fixture, runTraced, type Trace } from './trace';

describe('node agent: promise relations', () => {
  let trace: Trace;
  before(async () => {
    trace = await runTraced(fixture('relations.js'));
  });

  it('runs the program unchanged', () => {
    assert.equal(trace.code, 0);
    assert.equal(trace.stdout, 'relations done\n');
    assert.equal(trace.stderr, '');
  });

  it('names async functions and points at the line that called them', () => {
    const main = trace.one('main');
    const leaf = trace.one('awaitedLeaf');
    assert.equal(leaf.parent, main.id, 'awaitedLeaf was started by main');
    assert.equal(leaf.created?.line, 13);
    assert.match(leaf.created?.file ?? '', /relations\.js$/);
    assert.equal(main.created?.line, 23);
  });

  it('sees `await f()`', () => {
    assert.ok(trace.awaits(trace.one('main'), trace.one('awaitedLeaf')));
  });

  it('sees `f().then()`: the .then() promise waits on f, main waits on the .then() promise', () => {
    const leaf = trace.one('thenLeaf');
    const then = trace.named('.then()').find((t) => t.awaited.includes(leaf.id));
    assert.ok(then, 'a .then() promise awaiting thenLeaf');
    assert.equal(then.created?.line, 14);
    assert.ok(trace.awaits(trace.one('main'), then));
  });

  it('sees Promise.all awaiting each input, and main awaiting Promise.all', () => {
    const all = trace.one('Promise.all');
    assert.ok(trace.awaits(all, trace.one('allLeafA')));
    assert.ok(trace.awaits(all, trace.one('allLeafB')));
    assert.ok(trace.awaits(trace.one('main'), all));
  });

  it('sees a promise stored and awaited later', () => {
    const main = trace.one('main');
    assert.ok(trace.awaits(main, trace.one('storedLeaf')));
    const stored = trace.one('storedLeaf');
    const waiting = main.seen.find((s) => s.awaiting.includes(stored.id));
    assert.match(waiting?.awaitAt?.file ?? '', /relations\.js$/, 'the view showed the await line');
  });

  it('reports a task pending in one batch and done in a later one', () => {
    const leaf = trace.one('awaitedLeaf');
    assert.equal(leaf.state, 'done', 'it ended');
    assert.notEqual(leaf.states[0], 'done', `the view showed it live before it ended: ${leaf.states.join(' → ')}`);
    assert.equal(leaf.states.at(-1), 'done');
  });

  it('reports a rejected async function as failed, with the error', () => {
    const failing = trace.one('failingLeaf');
    assert.equal(failing.state, 'failed');
    assert.deepEqual(failing.error, { type: 'TypeError', message: 'bad input' });
  });

  it('ends with bye carrying the exit code', () => {
    const last = trace.messages.at(-1);
    assert.deepEqual(last && last.type === 'bye' ? last.exitCode : undefined, 0);
  });
});

describe('node agent: ES modules', () => {
  it('traces an ESM program with top-level await and named builtin imports', async () => {
    const trace = await runTraced(fixture('esm.mjs'));
    assert.equal(trace.code, 0);
    assert.equal(trace.stdout, 'esm done true\n');
    const main = trace.one('esmMain');
    const leaf = trace.one('esmLeaf');
    assert.equal(leaf.parent, main.id);
    assert.ok(trace.awaits(main, leaf));
    const sleep = trace.one('timers/promises.setTimeout');
    assert.equal(sleep.kind, 'timer');
    assert.equal(sleep.created?.line, 6);
    const read = trace.one('fs.promises.readFile');
    assert.equal(read.kind, 'io');
    assert.equal(read.parent, leaf.id);
  });
});
