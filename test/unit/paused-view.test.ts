/** The `paused` view message: validated before it is applied, cleared by the end of the run and by a new session. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseExtToView } from '../../src/shared/messages';
import { SessionStore } from '../../src/shared/store';

const session = { runtime: 'node' as const, command: ['node', 'app.js'], startEpochMs: 1 };

test('paused messages are checked field by field', () => {
  assert.deepEqual(parseExtToView({ type: 'paused', paused: { task: '7', file: '/w/app.js', line: 20 } }), { messages: [{ type: 'paused', paused: { task: '7', file: '/w/app.js', line: 20 } }] });
  assert.deepEqual(parseExtToView({ type: 'paused', paused: null }), { messages: [{ type: 'paused', paused: null }] });
  const state = parseExtToView({ type: 'state', replyTo: 1, session, snapshot: null, exit: null, paused: { task: '7' } });
  assert.deepEqual(state?.messages.at(-1), { type: 'paused', paused: { task: '7' } }, 'a fresh view learns about the stop too');
  for (const bad of [{ task: 7 }, { task: null, line: -1 }, { task: null, file: 3 }, 'x']) {
    assert.equal(parseExtToView({ type: 'paused', paused: bad }), undefined, JSON.stringify(bad));
  }
});

test('the store holds the stop while the program runs, and forgets it when it ends or a session starts', () => {
  const store = new SessionStore();
  assert.equal(store.apply({ type: 'paused', paused: { task: null } }), 'stale', 'no session: nothing to pause');
  store.apply({ type: 'reset', session });
  store.apply({ type: 'paused', paused: { task: '7', file: '/w/app.js', line: 20 } });
  assert.equal(store.paused?.task, '7');
  store.apply({ type: 'paused', paused: null });
  assert.equal(store.paused, null, 'continued');
  store.apply({ type: 'paused', paused: { task: '7' } });
  store.apply({ type: 'ended', exitCode: 0, signal: null });
  assert.equal(store.paused, null, 'ended');
  store.apply({ type: 'reset', session });
  assert.equal(store.paused, null);
});
