import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InspectorModel } from '../../src/model/model';
import type { AgentEvent } from '../../src/protocol/events';
import { batch, create, hello, site } from './helpers';

const finding = (key: string | undefined): AgentEvent => ({
  e: 'finding', kind: 'never-awaited', message: 'save() was never awaited', t: 5, site: 1, stack: [1, 2], task: 4, ...(key ? { key } : {}),
});

test('agent findings become flags located at their site, with the stack and the task id', () => {
  const m = new InspectorModel();
  m.apply(0, hello());
  m.apply(1, hello(1_000_010));
  m.apply(1, batch([site(1, 3, 'handler'), site(2, 9, 'main'), finding(undefined)]));
  const [flag] = m.takeDelta()!.flags;
  assert.equal(flag.kind, 'never-awaited');
  assert.deepEqual(flag.location, { file: '/w/app.js', line: 3, function: 'handler' });
  assert.equal(flag.stack!.length, 2);
  assert.equal(flag.task, 'p1:4');
  assert.equal(flag.t, 15);
  const [rf] = m.report({ command: [] }).flags;
  assert.equal(rf.kind, 'never-awaited');
  assert.equal(rf.location!.line, 3);
});

test('retract withdraws a flag by key', () => {
  const m = new InspectorModel();
  m.apply(0, hello());
  m.apply(0, batch([site(1, 3), site(2, 4), finding('k1'), finding('k2')]));
  m.apply(0, batch([{ e: 'retract', key: 'k2' }]));
  let d = m.takeDelta()!;
  assert.equal(d.flags.length, 1, 'k2 came and went within one delta: not sent');
  assert.equal(d.retractedFlags.length, 1, 'its withdrawal is announced (a snapshot may have shown it)');
  const shownId = d.flags[0].id;
  m.apply(0, batch([{ e: 'retract', key: 'k1' }]));
  d = m.takeDelta()!;
  assert.deepEqual(d.retractedFlags, [shownId]);
  assert.deepEqual(m.report({ command: [] }).flags, []);
});

test('pending-at-exit names the await chain outermost first and points at the innermost await', () => {
  const m = new InspectorModel();
  m.apply(0, hello());
  m.apply(0, batch([
    site(1, 20, 'main'), site(2, 12, 'load'), site(3, 5, 'never'),
    create(1, 'main', 0, null, 1),
    create(2, 'load', 1, 1, 2),
    create(3, 'Promise', 2, 2, 3),
    create(4, 'done', 2, 1, 1),
    { e: 'end', id: 4, state: 'done', t: 3 },
    { e: 'await', id: 1, on: [2], site: 1, t: 3 },
    { e: 'await', id: 2, on: [3], site: 2, t: 3 },
    create(5, 'lonely', 4), // pending, but nothing awaits it: not flagged
  ]));
  m.finish({ code: 0, signal: null });
  const flags = m.report({ command: [] }).flags;
  assert.equal(flags.length, 1);
  const [f] = flags;
  assert.equal(f.kind, 'pending-at-exit');
  assert.match(f.message, /main → load → Promise/);
  assert.deepEqual(f.location, { file: '/w/app.js', line: 5, function: 'never' }, 'innermost promise creation');
  assert.deepEqual(f.stack!.map((l) => l.line), [5, 12, 20], 'innermost first');
  assert.equal(f.task, '3');
  m.finish({ code: 0, signal: null });
  assert.equal(m.report({ command: [] }).flags.length, 1, 'finish twice does not repeat flags');
});

test('pending-at-exit: a combinator over two stuck inputs is two chains, each read through it, none at the combinator', () => {
  const m = new InspectorModel();
  m.apply(0, hello());
  m.apply(0, batch([
    site(1, 24, 'main'), site(2, 24, 'main'), site(3, 9, 'PromisePool.run'), site(4, 15, 'neverSent'), site(5, 19, 'fetchConfig'),
    create(1, 'main', 0, null, 1),
    create(2, 'Promise.allSettled', 1, 1, 2),
    create(3, 'PromisePool.run', 1, 1, 1),
    create(4, 'new Promise', 1, 3, 3),
    create(5, 'fetchConfig', 1, 1, 1),
    create(6, 'new Promise', 1, 5, 4),
    { e: 'await', id: 1, on: [2], site: 1, t: 2 },
    { e: 'await', id: 2, on: [3, 5], site: null, t: 2 },
    { e: 'await', id: 3, on: [4], site: 3, t: 2 },
    { e: 'await', id: 5, on: [6], site: 5, t: 2 },
  ]));
  m.finish({ code: 0, signal: null });
  const flags = m.report({ command: [] }).flags;
  assert.deepEqual(flags.map((f) => f.location!.line).sort(), [15, 9]);
  assert.match(flags.find((f) => f.location!.line === 9)!.message, /main → Promise\.allSettled → PromisePool\.run → new Promise/);
  assert.match(flags.find((f) => f.location!.line === 15)!.message, /main → Promise\.allSettled → fetchConfig → new Promise/);
});

function stuckModel(): InspectorModel {
  const m = new InspectorModel();
  m.apply(0, hello());
  m.apply(0, batch([create(1, 'main', 0), create(2, 'p', 0), { e: 'await', id: 1, on: [2], site: null, t: 1 }]));
  return m;
}

test('pending-at-exit stays quiet when the program was killed or crashed', () => {
  const killed = stuckModel();
  killed.finish({ code: null, signal: 'SIGTERM' });
  const r = killed.report({ command: ['node', 'x'] });
  assert.deepEqual(r.flags, []);
  assert.equal(r.exitCode, 143);
  assert.equal(r.signal, 'SIGTERM');
  const crashed = stuckModel();
  crashed.finish({ code: 1, signal: null });
  assert.deepEqual(crashed.report({ command: [] }).flags, []);
});

test('pending-at-exit fires for Node’s exit 13 (an unsettled top-level await)', () => {
  const m = stuckModel();
  m.finish({ code: 13, signal: null });
  assert.equal(m.report({ command: [] }).flags.length, 1);
});

test('pending-at-exit does not repeat a chain an agent already reported', () => {
  const m = stuckModel();
  m.apply(0, batch([{ e: 'finding', kind: 'pending-at-exit', message: 'main never finished', t: 3, site: null, task: 2 }]));
  m.finish({ code: 0, signal: null });
  const flags = m.report({ command: [] }).flags;
  assert.equal(flags.length, 1);
  assert.equal(flags[0].message, 'main never finished');
});

test('a flag shown by a snapshot and withdrawn before the next delta is withdrawn for the snapshot’s consumer', () => {
  const m = new InspectorModel();
  m.apply(0, hello());
  m.apply(0, batch([finding('k')]));
  const snap = m.snapshot();
  assert.equal(snap.flags.length, 1);
  m.apply(0, batch([{ e: 'retract', key: 'k' }]));
  assert.deepEqual(m.takeDelta()!.retractedFlags, [snap.flags[0].id]);
});

test('pending-at-exit trusts the agent when it says the program ended early (process.exit)', () => {
  const early = stuckModel();
  early.apply(0, { type: 'bye', t: 5, exitCode: 0, drained: false });
  early.finish({ code: 0, signal: null });
  assert.deepEqual(early.report({ command: [] }).flags, []);
  const drained = stuckModel();
  drained.apply(0, { type: 'bye', t: 5, exitCode: 0, drained: true });
  drained.finish({ code: 0, signal: null });
  assert.equal(drained.report({ command: [] }).flags.length, 1);
});
