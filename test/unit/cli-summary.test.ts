import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InspectorModel } from '../../src/model/model';
import { formatSummary } from '../../src/cli/summary';
import type { AgentEvent } from '../../src/protocol/events';
import { assertGolden } from '../golden/text';
import { batch, create, hello, site } from './helpers';

function reportOf(events: AgentEvent[], exit: { code: number | null; signal: string | null } = { code: 0, signal: null }) {
  const m = new InspectorModel();
  m.apply(0, hello());
  m.apply(0, batch(events));
  m.finish(exit);
  return m.report({ command: ['node', 'app.js'] });
}

test('the summary shows counts, the nested tree with sites relative to cwd, and flags with file:line', () => {
  const report = reportOf([
    site(1, 30, 'main'), site(2, 12, 'load'), site(3, 4, 'never'),
    create(1, 'main', 0, null, 1),
    create(2, 'load', 1, 1, 2),
    create(3, 'new Promise', 2, 2, 3),
    { e: 'await', id: 1, on: [2], site: 1, t: 2 },
    { e: 'await', id: 2, on: [3], site: 2, t: 2 },
    create(4, 'save', 3, 1, 1),
    { e: 'end', id: 4, state: 'failed', t: 5, error: { type: 'Error', message: 'disk full\nmore detail' } },
  ]);
  const text = formatSummary(report, { cwd: '/w', color: false });
  assertGolden('summary-nested', text);
  assert.doesNotMatch(text, /\x1b\[/, 'no colour codes when colour is off');
});

test('look-alike siblings fold into one ×N line and long trees are cut with a count of what is hidden', () => {
  const events: AgentEvent[] = [site(1, 5, 'main'), site(2, 9, 'worker'), create(1, 'main', 0, null, 1)];
  for (let i = 0; i < 500; i++) events.push(create(100 + i, 'fetch', 1, 1, 2), { e: 'end', id: 100 + i, state: 'done', t: 2 });
  for (let i = 0; i < 80; i++) events.push(create(1000 + i, `job${i}`, 1, 1, 2));
  const report = reportOf(events);
  const text = formatSummary(report, { cwd: '/w', color: false });
  assertGolden('summary-folded', text);
  assert.ok(text.split('\n').length < 40, 'the summary stays short');
  assertGolden('summary-cut', formatSummary(report, { cwd: '/w', color: false, maxTreeLines: 5 }));
});

test('a killed program and an empty run read plainly', () => {
  assertGolden('summary-killed', formatSummary(reportOf([], { code: null, signal: 'SIGTERM' }), { cwd: '/', color: false }));
  const timed = formatSummary(reportOf([], { code: null, signal: 'SIGTERM' }), { cwd: '/', color: false, timedOutAfterSec: 5 });
  assertGolden('summary-timed-out', timed);
});

test('when the tree does not fit, finished quiet branches stay closed and branches with live work open', () => {
  const events: AgentEvent[] = [site(1, 5, 'main'), site(2, 9, 'f'), create(1, 'main', 0, null, 1)];
  const done = (id: number): AgentEvent => ({ e: 'end', id, state: 'done', t: 9 });
  // quiet: a finished branch with 30 finished helpers; busy: a finished branch with one pending helper.
  events.push(create(2, 'quiet', 1, 1, 2));
  for (let i = 0; i < 30; i++) events.push(create(100 + i, `helper${i}`, 1, 2, 2), done(100 + i));
  events.push(done(2), create(3, 'busy', 1, 1, 2), create(200, 'stuck', 1, 3, 2), done(3));
  const text = formatSummary(reportOf(events), { cwd: '/w', color: false, maxTreeLines: 20 });
  assertGolden('summary-closed-branches', text);
  assert.doesNotMatch(text, /more tasks not shown/, 'everything is accounted for');
});

test('refused channel connections are in the report and the summary, and absent when there were none', () => {
  const m = new InspectorModel();
  m.apply(0, hello());
  m.finish({ code: 0, signal: null });
  const report = m.report({ command: ['node', 'app.js'], rejectedConnections: 7 });
  assert.equal(report.rejectedConnections, 7);
  assert.match(formatSummary(report, { cwd: '/w', color: false }), /Refused 7 connections to the agent channel/);
  const none = m.report({ command: ['node', 'app.js'] });
  assert.equal('rejectedConnections' in none, false);
  assert.doesNotMatch(formatSummary(none, { cwd: '/w', color: false }), /Refused/);
});

test('agent lines the channel could not read are counted in the report\'s notes', () => {
  const m = new InspectorModel();
  m.apply(0, hello());
  m.finish({ code: 0, signal: null });
  assert.ok(m.report({ command: ['node', 'app.js'], malformedLines: 3 }).agentErrors.includes('3 malformed agent lines were skipped'));
});

test('program strings cannot drive the terminal: escapes, bidi overrides and huge names are shown as text', () => {
  const CLEAR = '\x1b[2J\x1b]8;;https://evil.example\x07click\x1b]8;;\x07';
  const report = reportOf([
    site(1, 3, `f${CLEAR}`, `/w/a\u202eevil.js`),
    create(1, `name${CLEAR}\u202e`, 0, null, 1),
    create(2, 'A'.repeat(100_000), 1, null, 1),
    { e: 'end', id: 1, state: 'failed', t: 2, error: { type: `E\x1b[31m`, message: `boom\r\x1b[1Aup\u2066` } },
  ]);
  const text = formatSummary(report, { cwd: '/w', color: false });
  assert.doesNotMatch(text, /[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]/, 'no control or bidi character reaches the terminal');
  assert.match(text, /name\\x1b\[2J\\x1b\]8;;https:\/\/evil\.example\\x07click/);
  assert.match(text, /a\\u202eevil\.js:3/);
  assert.match(text, /E\\x1b\[31m: boom\\r\\x1b\[1Aup\\u2066/);
  assert.match(text, /A{300}… \(100,000 chars\)/);
  assert.ok(text.length < 5000, `summary is ${text.length} chars`);
});
