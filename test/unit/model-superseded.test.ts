/**
 * One mistake, one flag: a Node async call nobody awaited that then rejected unhandled gets only the
 * unhandled-rejection flag (it crashed the program), whichever of the two findings arrives first.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InspectorModel } from '../../src/model/model';
import type { AgentEvent } from '../../src/protocol/events';
import { batch, create, hello, site } from './helpers';

const neverAwaited = (task: number, key = `na:${task}`): AgentEvent => ({
  e: 'finding', kind: 'never-awaited', message: 'The promise returned by loadConfig() is never awaited', t: 5, site: 1, task, key,
});
const unhandled = (task: number, key = `ur:${task}`): AgentEvent => ({
  e: 'finding', kind: 'unhandled-rejection', message: 'The promise of loadConfig rejected', t: 6, site: 1, task, key,
});

function model(): InspectorModel {
  const m = new InspectorModel();
  m.apply(0, hello());
  m.apply(0, batch([site(1, 24, 'main'), create(7, 'loadConfig', 1, null, 1), create(8, 'save', 1, null, 1)]));
  return m;
}

const kinds = (m: InspectorModel): string[] => m.report({ command: [] }).flags.map((f) => f.kind).sort();

test('never-awaited arriving after the unhandled rejection of the same promise is left out', () => {
  const m = model();
  m.apply(0, batch([unhandled(7), neverAwaited(7)]));
  assert.deepEqual(kinds(m), ['unhandled-rejection']);
});

test('an unhandled rejection withdraws the never-awaited flag raised earlier for the same promise', () => {
  const m = model();
  m.apply(0, batch([neverAwaited(7)]));
  const first = m.takeDelta()!;
  assert.deepEqual(first.flags.map((f) => f.kind), ['never-awaited']);
  m.apply(0, batch([unhandled(7)]));
  const second = m.takeDelta()!;
  assert.deepEqual(second.retractedFlags, [first.flags[0].id], 'the panel drops the flag it showed');
  assert.deepEqual(kinds(m), ['unhandled-rejection']);
});

test('flags about different promises both stay', () => {
  const m = model();
  m.apply(0, batch([neverAwaited(8), unhandled(7)]));
  assert.deepEqual(kinds(m), ['never-awaited', 'unhandled-rejection']);
});

test('an unhandled rejection without a known task supersedes nothing', () => {
  const m = model();
  m.apply(0, batch([neverAwaited(7), { e: 'finding', kind: 'unhandled-rejection', message: 'A promise rejected', t: 6, site: 1, task: null }]));
  assert.deepEqual(kinds(m), ['never-awaited', 'unhandled-rejection']);
});
