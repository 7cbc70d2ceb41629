import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineDecoder, encodeMessage, isAgentMessage } from '../../src/protocol/framing';
import type { AgentMessage } from '../../src/protocol/events';
import { batch, create, hello } from './helpers';

function collect(maxLine?: number) {
  const messages: AgentMessage[] = [];
  const errors: string[] = [];
  const d = new LineDecoder((m) => messages.push(m), (e) => errors.push(e), maxLine);
  return { d, messages, errors };
}

test('encode → decode round-trips every message type', () => {
  const msgs: AgentMessage[] = [
    hello(),
    batch([create(1, 'main — “unicode” ✓', 0)], 3),
    { type: 'agent-error', message: 'oops', detail: 'line1\nline2' },
    { type: 'bye', t: 12.5, exitCode: 0 },
  ];
  const { d, messages, errors } = collect();
  d.push(msgs.map(encodeMessage).join(''));
  assert.deepEqual(messages, msgs);
  assert.deepEqual(errors, []);
});

test('messages split across chunks at every byte position decode the same', () => {
  const wire = encodeMessage(hello()) + encodeMessage(batch([create(7, 'x', 1)]));
  for (let cut = 0; cut <= wire.length; cut++) {
    const { d, messages } = collect();
    d.push(wire.slice(0, cut));
    d.push(wire.slice(cut));
    assert.equal(messages.length, 2, `cut at ${cut}`);
  }
  const { d, messages } = collect();
  for (const ch of wire) d.push(ch);
  assert.equal(messages.length, 2, 'one character at a time');
});

test('bad lines are reported and skipped without losing the next good line', () => {
  const { d, messages, errors } = collect();
  d.push('{not json\n');
  d.push('{"type":"warp"}\n');
  d.push('{"type":"batch","events":"nope"}\n');
  d.push('\n   \n');
  d.push(encodeMessage({ type: 'bye', t: 1 }));
  assert.equal(messages.length, 1);
  assert.equal(errors.length, 3);
  assert.match(errors[0], /malformed/);
  assert.match(errors[1], /unknown/);
});

test('a final unterminated line is parsed at end(); an over-long line is discarded', () => {
  const { d, messages } = collect();
  d.push(JSON.stringify({ type: 'bye', t: 2 }));
  assert.equal(messages.length, 0);
  d.end();
  assert.equal(messages.length, 1);

  const small = collect(100);
  small.d.push('x'.repeat(150));
  small.d.push('\n' + encodeMessage({ type: 'bye', t: 3 }));
  assert.equal(small.errors.length, 1);
  assert.match(small.errors[0], /over-long/);
  assert.equal(small.messages.length, 1);
});

test('isAgentMessage accepts the four message types only', () => {
  assert.ok(isAgentMessage({ type: 'bye', t: 0 }));
  assert.ok(!isAgentMessage({ type: 'batch' }));
  assert.ok(!isAgentMessage(null));
  assert.ok(!isAgentMessage([]));
});
