/**
 * The delta stream's key property: a receiver that starts from a reset and applies every later delta in
 * order (through JSON and the extension's validation, into the SessionStore the mirror and the webview
 * use) holds exactly what the model holds, even though tasks it already has arrive as progress only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InspectorModel } from '../../src/model/model';
import type { AgentEvent } from '../../src/protocol/events';
import type { ModelDelta, TaskView } from '../../src/model/types';
import { checkDelta } from '../../src/shared/modelGuards';
import { SessionStore } from '../../src/shared/store';
import { batch, hello } from './helpers';

const SESSION = { runtime: 'node' as const, command: ['node', 'app.js'], startEpochMs: 1_000_000 };

/** A receiver as the extension's mirror is one: starts from a reset, then gets each delta as JSON. */
function receiver(first?: ModelDelta): SessionStore {
  const store = new SessionStore();
  store.apply({ type: 'reset', session: SESSION });
  if (first) deliver(store, first);
  return store;
}

function deliver(store: SessionStore, d: ModelDelta): void {
  const checked = checkDelta(JSON.parse(JSON.stringify(d)));
  assert.ok(checked, 'the delta passes validation');
  assert.equal(checked.invalid, 0, 'no record of the delta is rejected');
  assert.equal(store.apply({ type: 'delta', delta: checked.delta }), 'applied');
}

/** Every held task compared with the model's, field by field (a failure names the task and the field). */
function assertSameTasks(store: SessionStore, truth: ModelDelta, label: string): void {
  const want = new Map(truth.upserts.map((t) => [t.id, t]));
  assert.deepEqual([...store.tasks.keys()].sort(), [...want.keys()].sort(), `${label}: the same tasks are held`);
  for (const [id, expected] of want) {
    const got = store.tasks.get(id)!;
    for (const key of new Set([...Object.keys(expected), ...Object.keys(got)]) as Set<keyof TaskView>) {
      assert.deepEqual(got[key], expected[key], `${label}: task ${id}, field ${key}`);
    }
  }
  const table = new Map((truth.sites ?? []).map(({ id, ...loc }) => [id, loc]));
  assert.deepEqual(store.sites, table, `${label}: the same site table`);
  const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
  assert.deepEqual([...store.flags.values()].sort(byId), [...truth.flags].sort(byId), `${label}: flags`);
  assert.equal(store.unmatchedProgress, 0, `${label}: every progress entry matched a held task`);
}

/**
 * A seeded pseudo-random stream where tasks keep changing long after they were first sent: creates (with
 * sites and stacks), awaits, runs, renames, running steps (past the per-task cap), ends with errors and
 * results, findings and retracts. Yields groups of events that arrive in one batch. Some creation sites
 * are defined late, in the group of the task's next change: their table entries then come in a later delta.
 */
function* randomEvents(seed: number, count: number): Generator<AgentEvent[]> {
  let x = seed;
  const rand = (n: number) => ((x = (x * 1103515245 + 12345) % 2147483648) % n);
  const live: number[] = [];
  const pick = () => live[rand(live.length)];
  /** Site events of a task's identity not sent yet, by task. */
  const lateSites = new Map<number, AgentEvent[]>();
  let next = 1;
  let nextSite = 1;
  let t = 0;
  for (let i = 0; i < count; i++) {
    t += 1;
    const group: AgentEvent[] = [];
    const site = (late?: number): number => {
      const id = nextSite++;
      const ev: AgentEvent = { e: 'site', id, file: `/w/f${id % 7}.js`, line: id, fn: `fn${id}` };
      if (late === undefined) group.push(ev);
      else lateSites.set(late, [...(lateSites.get(late) ?? []), ev]);
      return id;
    };
    /** An event about task `id`: its late sites come first. */
    const about = (id: number, ev: AgentEvent): AgentEvent[] => {
      group.push(...(lateSites.get(id) ?? []), ev);
      lateSites.delete(id);
      return group;
    };
    const r = rand(20);
    if (r < 6 || live.length < 3) {
      const id = next++;
      const parent = live.length && rand(2) ? pick() : null;
      const late = rand(6) === 0 ? id : undefined;
      const created = rand(4) ? site(late) : null;
      const stack = rand(3) === 0 ? [site(late), site()] : undefined;
      live.push(id);
      yield [...group, { e: 'create', id, kind: rand(2) ? 'promise' : 'task', name: `n${rand(5)}`, parent, site: created, t, ...(stack ? { stack } : {}) }];
    } else if (r < 9) {
      const id = pick();
      const at = rand(3) ? site() : null;
      yield about(id, { e: 'await', id, on: [pick(), pick()], site: at, t });
    } else if (r < 11) {
      const id = pick();
      yield about(id, { e: 'state', id, state: rand(2) ? 'running' : 'pending', t, ...(rand(4) === 0 ? { thread: `w${rand(3)}` } : {}) });
    } else if (r < 12) {
      const id = pick();
      yield about(id, { e: 'name', id, name: `renamed${rand(50)}` });
    } else if (r < 15) {
      // Few live tasks get many steps: some pass the 64-slice cap.
      const id = live[rand(Math.min(live.length, 4))];
      for (let k = rand(6); k >= 0; k--) about(id, { e: 'step', id, t, dur: rand(3) });
      yield group;
    } else if (r < 18) {
      const [id] = live.splice(rand(live.length), 1);
      const how = rand(4);
      if (how === 0) {
        const at = site();
        yield about(id, { e: 'end', id, state: 'failed', t, error: { type: 'Error', message: `boom${id}`, stack: [at] } });
      } else if (how === 1) yield about(id, { e: 'end', id, state: 'done', t, result: `r${id}`, runMs: rand(9) });
      else yield about(id, { e: 'end', id, state: how === 2 ? 'done' : 'cancelled', t });
    } else if (rand(2)) {
      yield [{ e: 'finding', kind: 'never-awaited', message: 'm', t, site: null, key: `k${rand(20)}` }];
    } else {
      yield [{ e: 'retract', key: `k${rand(20)}` }];
    }
  }
}

for (const [seed, keep] of [[1, 25], [7, 3], [42, 0], [99, 1000]]) {
  test(`deltas applied in order reproduce the model field by field (seed ${seed}, keeping ${keep} finished)`, () => {
    const m = new InspectorModel({ maxFinishedTasks: keep });
    m.apply(0, hello());
    const mirror = receiver();
    // Views opened mid-run start from a snapshot (which must not count as streaming its tasks), then follow.
    const late: SessionStore[] = [];
    let pending: AgentEvent[] = [];
    let deltas = 0;
    let progressEntries = 0;
    let appendedSteps = 0;
    let x = seed;
    for (const group of randomEvents(seed, 6000)) {
      pending.push(...group);
      x = (x * 69069 + 1) % 4294967296;
      if (x % 7 === 0) {
        m.apply(0, batch(pending));
        pending = [];
      }
      if (x % 41 === 0) {
        const d = m.takeDelta();
        if (d) {
          deltas++;
          progressEntries += d.progress?.length ?? 0;
          appendedSteps += d.progress?.filter((p) => p.stepsFrom !== undefined).length ?? 0;
          for (const r of [mirror, ...late]) deliver(r, d);
          // Nothing happened since the delta: every receiver holds what a snapshot holds now.
          if (deltas % 10 === 0) for (const [i, r] of [mirror, ...late].entries()) assertSameTasks(r, m.snapshot(), `delta ${deltas}, receiver ${i}`);
        }
      }
      if (x % 331 === 0) late.push(receiver(m.snapshot()));
    }
    m.apply(0, batch(pending));
    const last = m.takeDelta();
    if (last) for (const r of [mirror, ...late]) deliver(r, last);

    const truth = m.snapshot();
    assertSameTasks(mirror, truth, 'mirror');
    for (const [i, r] of late.entries()) assertSameTasks(r, truth, `late view ${i}`);
    assert.ok(late.length >= 2, 'snapshots were taken mid-run');
    assert.ok(progressEntries > 1000, `tasks changed after being sent (${progressEntries} progress entries)`);
    assert.ok(appendedSteps > 50, `running slices were appended (${appendedSteps} entries)`);
    assert.ok(truth.upserts.some((t) => (t.steps?.length ?? 0) === 64), 'the per-task step cap was reached');
    if (keep < 100) assert.ok(truth.retired > 0, 'retention was exercised');
    assert.equal(m.malformedEvents, 0);
  });
}

test('a task first shown by a snapshot still goes whole in the next delta (the mirror never saw the snapshot)', () => {
  const m = new InspectorModel();
  m.apply(0, hello());
  m.apply(0, batch([{ e: 'create', id: 1, kind: 'promise', name: 'a', parent: null, site: null, t: 1 }]));
  m.snapshot();
  const d = m.takeDelta()!;
  assert.deepEqual(d.upserts.map((t) => t.id), ['1']);
  assert.deepEqual(d.progress, []);
  m.apply(0, batch([{ e: 'name', id: 1, name: 'b' }]));
  assert.deepEqual(m.takeDelta()!.progress!.map((p) => [p.id, p.name]), [['1', 'b']]);
});

test('a task whose creation site was not known yet keeps its site id; the entry follows, the task goes as progress', () => {
  const m = new InspectorModel();
  m.apply(0, hello());
  m.apply(0, batch([{ e: 'create', id: 1, kind: 'promise', name: 'a', parent: null, site: 9, t: 1 }]));
  const first = m.takeDelta()!;
  const id = first.upserts[0].created;
  assert.equal(typeof id, 'number');
  assert.deepEqual(first.sites, [], 'no entry yet');
  m.apply(0, batch([{ e: 'site', id: 9, file: '/w/a.js', line: 3, fn: 'main' }, { e: 'name', id: 1, name: 'b' }]));
  const d = m.takeDelta()!;
  assert.deepEqual(d.sites, [{ id, file: '/w/a.js', line: 3, function: 'main' }]);
  assert.deepEqual(d.upserts, [], 'the identity did not change: not sent whole again');
  assert.deepEqual(d.progress!.map((p) => p.name), ['b']);
});

test('a progress entry carries only the running slices added since the last delta', () => {
  const m = new InspectorModel();
  m.apply(0, hello());
  m.apply(0, batch([{ e: 'create', id: 1, kind: 'task', name: 'a', parent: null, site: null, t: 1 }, { e: 'step', id: 1, t: 2, dur: 1 }]));
  assert.deepEqual(m.takeDelta()!.upserts[0].steps, [[2, 1]]);
  m.apply(0, batch([{ e: 'step', id: 1, t: 5, dur: 2 }, { e: 'step', id: 1, t: 9, dur: 1 }]));
  const [p] = m.takeDelta()!.progress!;
  assert.equal(p.stepsFrom, 1);
  assert.deepEqual(p.steps, [[5, 2], [9, 1]]);
  m.apply(0, batch([{ e: 'name', id: 1, name: 'b' }]));
  const [q] = m.takeDelta()!.progress!;
  assert.equal(q.stepsFrom, 3);
  assert.equal(q.steps, undefined, 'no new slice: none sent');
});
