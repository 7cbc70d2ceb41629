/**
 * The flag kinds as users meet them: every kind an agent or lint raises has a title and a plain one-sentence
 * explanation, the settings offer exactly the known kinds, disabled kinds leave the view's messages, and the
 * CLI summary lists each flag at file:line with what it means.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { formatSummary } from '../../src/cli/summary';
import { disabledKinds, withoutDisabledFlags } from '../../src/extension/flagFilter';
import { FLAG_KIND_INFO, KNOWN_FLAG_KINDS, flagMessage, isKnownFlagKind } from '../../src/model/flag-kinds';
import { END_OF_RUN_RULES } from '../../src/model/lints';
import type { FlagView, Report } from '../../src/model/types';
import type { ModelDelta } from '../../src/model/types';
import { FLAG_KINDS } from '../../src/protocol/events';
import { root } from './fixtures';

test('every kind the agents and the lints raise is known, with a one-sentence explanation and fix', () => {
  const raised = new Set<string>();
  const agents = join(root, 'src/agents');
  for (const file of readdirSync(agents, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(py|ts)$/.test(f))) {
    const source = readFileSync(join(agents, file), 'utf8');
    if (!/["']finding["']/.test(source)) continue;
    // Python: {"e": "finding", "kind": "…"}, kind = "…" and _emit("…", …); Node: { e: 'finding', kind: '…' }.
    const finding = /"e": "finding", "kind": "([a-z-]+)"|\bkind = "([a-z-]+)"|_emit\("([a-z-]+)"|e: 'finding', kind: '([a-z-]+)'/g;
    for (const m of source.matchAll(finding)) raised.add(m[1] ?? m[2] ?? m[3] ?? m[4]);
  }
  assert.ok(raised.has('never-awaited') && raised.has('asyncio-run-in-loop'), `found in the agents: ${[...raised]}`);
  for (const rule of END_OF_RUN_RULES) raised.add(rule.kind);
  for (const kind of [...raised, ...FLAG_KINDS]) assert.ok(isKnownFlagKind(kind), `${kind} has no title/explanation in src/model/flag-kinds.ts`);
  for (const kind of KNOWN_FLAG_KINDS) {
    const { explanation, fix } = FLAG_KIND_INFO[kind];
    for (const sentence of [explanation, fix]) assert.match(sentence, /^[A-Za-z][^\n]*\.$/, `${kind}: "${sentence}"`);
    assert.equal(explanation.split(/\. [A-Z]/).length, 1, `${kind}: one sentence`);
  }
});

test('the flags.disabled setting offers exactly the known kinds, each described', () => {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const setting = manifest.contributes.configuration.properties['asyncInspector.flags.disabled'];
  assert.deepEqual(setting.items.enum, [...KNOWN_FLAG_KINDS]);
  assert.deepEqual(setting.items.enumDescriptions, KNOWN_FLAG_KINDS.map((k) => `${FLAG_KIND_INFO[k].title}: ${FLAG_KIND_INFO[k].explanation}`));
  assert.deepEqual(setting.default, []);
});

const flag = (id: string, kind: string, line: number): FlagView =>
  ({ id, kind, message: `${kind} here`, location: { file: '/app/main.py', line, function: 'main' }, task: null, t: 1 });

test('disabled kinds leave the view\'s deltas; other kinds and other messages pass unchanged', () => {
  const disabled = disabledKinds(['blocking-call', 'no-such-kind', 3]);
  assert.deepEqual([...disabled], ['blocking-call']);
  const delta = { seq: 1, reset: false, upserts: [], removed: [], flags: [flag('f1', 'blocking-call', 3), flag('f2', 'never-awaited', 4)], retractedFlags: [] } as unknown as ModelDelta;
  const shown = withoutDisabledFlags({ type: 'delta', delta }, disabled);
  assert.ok(shown.type === 'delta');
  assert.deepEqual(shown.delta.flags.map((f) => f.id), ['f2']);
  assert.equal(delta.flags.length, 2, 'the tracker\'s own delta is not modified');
  const state = withoutDisabledFlags({ type: 'state', replyTo: 1, session: null, snapshot: delta, exit: null }, disabled);
  assert.deepEqual(state.type === 'state' && state.snapshot?.flags.map((f) => f.id), ['f2']);
  const ended = { type: 'ended', exitCode: 0, signal: null } as const;
  assert.equal(withoutDisabledFlags(ended, disabled), ended);
});

test('the CLI summary lists each flag at file:line and says once per kind what it means', () => {
  const flags = [flag('f1', 'blocking-call', 7), flag('f2', 'blocking-call', 9), flag('f3', 'asyncio-run-in-loop', 12)];
  const report = {
    schema: 1, runtime: 'python', command: ['python3', 'main.py'], exitCode: 0, durationMs: 5, droppedEvents: 0, retiredTasks: 0,
    counts: { queued: 0, pending: 0, running: 0, done: 0, failed: 0, cancelled: 0 }, loops: [], tasks: [], agentErrors: [],
    flags: flags.map(({ id: _id, ...f }) => f),
  } as Report;
  const text = formatSummary(report, { cwd: '/app', color: false });
  assert.match(text, /blocking-call {2}main\.py:7 {2}blocking-call here/);
  assert.match(text, /blocking-call {2}main\.py:9 /);
  assert.match(text, /asyncio-run-in-loop {2}main\.py:12 /);
  assert.equal(text.split(FLAG_KIND_INFO['blocking-call'].explanation).length - 1, 1, text);
  assert.ok(text.includes(FLAG_KIND_INFO['asyncio-run-in-loop'].fix), text);
});

test('a flag message starts with its kind\'s title and states the duration once', () => {
  assert.equal(flagMessage({ kind: 'blocking-call', message: 'time.sleep() held the loop', durationMs: 240.4 }), 'Blocking call (240 ms): time.sleep() held the loop');
  assert.equal(flagMessage({ kind: 'blocking-call', message: 'held the loop for 240 ms', durationMs: 240 }), 'Blocking call: held the loop for 240 ms');
  assert.equal(flagMessage({ kind: 'result-before-done', message: 'x' }), 'result() before done: x');
});
