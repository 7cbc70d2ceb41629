/** Both sides validate what they receive: malformed or hostile messages are dropped or trimmed, never half-applied. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { localFilePath } from '../../src/extension/locationPath';
import { runtimeForProgram } from '../../src/extension/programRuntime';
import { parseExtToView, parseViewToExt } from '../../src/shared/messages';
import { delta, SESSION, task } from './sessions';

describe('view → extension messages', () => {
  it('accepts the three message types', () => {
    assert.deepEqual(parseViewToExt({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseViewToExt({ type: 'requestSnapshot', extra: 1 }), { type: 'requestSnapshot' });
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
    assert.deepEqual(parseExtToView({ type: 'reset', session: SESSION }), { type: 'reset', session: SESSION });
    assert.deepEqual(parseExtToView({ type: 'reset', session: null }), { type: 'reset', session: null });
    assert.equal(parseExtToView({ type: 'reset', session: { ...SESSION, runtime: 'ruby' } }), undefined);
    assert.equal(parseExtToView({ type: 'reset' }), undefined);
    assert.deepEqual(parseExtToView({ type: 'ended', exitCode: null, signal: 'SIGTERM' }), { type: 'ended', exitCode: null, signal: 'SIGTERM' });
    assert.equal(parseExtToView({ type: 'ended', exitCode: '0', signal: null }), undefined);
  });

  it('drops a delta whose envelope is wrong, and leaves out only the malformed records of a good one', () => {
    assert.equal(parseExtToView({ type: 'delta', delta: { ...delta(1, []), counts: { done: 1 } } }), undefined);
    assert.equal(parseExtToView({ type: 'delta', delta: { ...delta(1, []), removed: [1] } }), undefined);
    const good = task('1');
    const parsed = parseExtToView({
      type: 'delta',
      delta: delta(1, [good, { ...task('2'), state: 'exploded' }, { ...task('3'), awaiting: [3] }, { id: '4' }] as never),
    });
    assert.equal(parsed?.type, 'delta');
    assert.deepEqual(parsed?.type === 'delta' && parsed.delta.upserts, [good]);
  });
});

describe('what the extension agrees to open', () => {
  it('accepts absolute paths and file URLs only', () => {
    assert.equal(localFilePath('/work/app.js'), '/work/app.js');
    assert.equal(localFilePath('file:///work/a%20b.mjs'), '/work/a b.mjs');
    for (const bad of ['node:internal/timers', '<frozen importlib._bootstrap>', 'app.js', 'https://x/y.js', 'file://host/share/a.js', 'data:text/plain,x']) {
      assert.equal(localFilePath(bad), undefined, bad);
    }
  });

  it('tells the runtime from the program file', () => {
    assert.equal(runtimeForProgram('/a/app.mjs'), 'node');
    assert.equal(runtimeForProgram('/a/App.PY'), 'python');
    assert.equal(runtimeForProgram('/a/app.rb'), undefined);
  });
});
