/** Both sides validate what they receive: malformed or hostile messages are dropped or trimmed, never half-applied. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { localFilePath } from '../../src/extension/locationPath';
import { runtimeForProgram } from '../../src/extension/programRuntime';
import { parseExtToView, parseViewToExt } from '../../src/shared/messages';
import { checkDelta } from '../../src/shared/modelGuards';
import { delta, SESSION, task } from './sessions';

describe('view → extension messages', () => {
  it('accepts the three message types; requests carry an id', () => {
    assert.deepEqual(parseViewToExt({ type: 'ready', id: 1 }), { type: 'ready', id: 1 });
    assert.deepEqual(parseViewToExt({ type: 'requestSnapshot', id: 2, extra: 1 }), { type: 'requestSnapshot', id: 2 });
    for (const id of [undefined, -1, 1.5, '2', Number.NaN]) assert.equal(parseViewToExt({ type: 'ready', id }), undefined, String(id));
    assert.deepEqual(parseViewToExt({ type: 'openLocation', file: '/a/b.js', line: 3, col: 2 }), { type: 'openLocation', file: '/a/b.js', line: 3, col: 2 });
  });

  it('rejects openLocation with insane numbers or paths', () => {
    for (const bad of [
      { line: 0 }, { line: -1 }, { line: 1.5 }, { line: Number.NaN }, { line: Infinity }, { line: '3' }, { line: 1e12 },
      { line: 1, col: 0 }, { line: 1, file: '' }, { line: 1, file: 'a\nb' }, { line: 1, file: 'x'.repeat(5000) }, { line: 1, file: 42 },
    ]) {
      assert.equal(parseViewToExt({ type: 'openLocation', file: '/a.js', ...bad }), undefined, JSON.stringify(bad));
    }
    for (const bad of [null, undefined, 'ready', 7, [], { type: 'runCommand', command: 'rm' }, { type: '__proto__' }]) {
      assert.equal(parseViewToExt(bad), undefined);
    }
  });
});

describe('extension → view messages', () => {
  it('validates reset and ended', () => {
    assert.deepEqual(parseExtToView({ type: 'reset', session: SESSION }), { messages: [{ type: 'reset', session: SESSION }] });
    assert.deepEqual(parseExtToView({ type: 'reset', session: null }), { messages: [{ type: 'reset', session: null }] });
    assert.equal(parseExtToView({ type: 'reset', session: { ...SESSION, runtime: 'ruby' } }), undefined);
    assert.equal(parseExtToView({ type: 'reset' }), undefined);
    assert.deepEqual(parseExtToView({ type: 'reset', session: null, uninspected: 'plain run' }), { messages: [{ type: 'reset', session: null, uninspected: 'plain run' }] });
    assert.equal(parseExtToView({ type: 'reset', session: null, uninspected: 7 }), undefined);
    assert.deepEqual(parseExtToView({ type: 'ended', exitCode: null, signal: 'SIGTERM' }), { messages: [{ type: 'ended', exitCode: null, signal: 'SIGTERM' }] });
    assert.equal(parseExtToView({ type: 'ended', exitCode: '0', signal: null }), undefined);
  });

  it('a state reply names the request it answers and reads as reset, snapshot, ended', () => {
    const snapshot = { ...delta(4, [task('1')]), reset: true };
    const exit = { exitCode: 0, signal: null };
    assert.deepEqual(parseExtToView({ type: 'state', replyTo: 3, session: SESSION, snapshot, exit }), {
      replyTo: 3,
      messages: [{ type: 'reset', session: SESSION }, { type: 'delta', delta: snapshot }, { type: 'ended', ...exit }],
    });
    assert.deepEqual(parseExtToView({ type: 'state', replyTo: 1, session: null, snapshot: null, exit: null }), {
      replyTo: 1, messages: [{ type: 'reset', session: null }],
    });
    assert.equal(parseExtToView({ type: 'state', session: null, snapshot: null, exit: null }), undefined);
    assert.deepEqual(parseExtToView({ type: 'state', replyTo: 2, session: null, snapshot: null, exit: null, uninspected: 'plain run' }), {
      replyTo: 2, messages: [{ type: 'reset', session: null, uninspected: 'plain run' }],
    });
  });

  it('the host drops a delta whose envelope is wrong, and leaves out only the malformed records of a good one', () => {
    assert.equal(checkDelta({ ...delta(1, []), counts: { done: 1 } }), undefined);
    assert.equal(checkDelta({ ...delta(1, []), removed: [1] }), undefined);
    const good = task('1');
    const parsed = checkDelta(delta(1, [good, { ...task('2'), state: 'exploded' }, { ...task('3'), awaiting: [3] }, { id: '4' }] as never));
    assert.deepEqual(parsed?.delta.upserts, [good]);
    assert.equal(parsed?.invalid, 3);
  });
});

describe('what the extension agrees to open', () => {
  it('accepts absolute paths and file URLs only', () => {
    assert.equal(localFilePath('/work/app.js'), '/work/app.js');
    assert.equal(localFilePath('file:///work/a%20b.mjs'), '/work/a b.mjs');
    for (const bad of ['node:internal/timers', '<frozen importlib._bootstrap>', 'app.js', 'https://x/y.js', 'file://host/share/a.js', 'data:text/plain,x', 'javascript:alert(1)', 'JavaScript:void(0)', 'vscode://settings']) {
      assert.equal(localFilePath(bad), undefined, bad);
    }
  });

  it('tells the runtime from the program file', () => {
    assert.equal(runtimeForProgram('/a/app.mjs'), 'node');
    assert.equal(runtimeForProgram('/a/App.PY'), 'python');
    assert.equal(runtimeForProgram('/a/app.rb'), undefined);
  });
});
