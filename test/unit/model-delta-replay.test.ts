import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InspectorModel } from '../../src/model/model';
import type { AgentEvent } from '../../src/protocol/events';
import type { FlagView, ModelDelta, TaskView } from '../../src/model/types';
import { batch, hello } from './helpers';

/** What a UI holds after applying deltas in order. */
class Replica {
  tasks = new Map<string, TaskView>();
  flags = new Map<string, FlagView>();
  apply(d: ModelDelta): void {
    if (d.reset) {
      this.tasks.clear();
      this.flags.clear();
    }
    for (const id of d.removed) this.tasks.delete(id);
    for (const t of d.upserts) this.tasks.set(t.id, t);
    for (const id of d.retractedFlags) this.flags.delete(id);
    for (const f of d.flags) this.flags.set(f.id, f);
  }
}

/** A seeded pseudo-random stream of creates, states, awaits, ends, findings and retracts. */
function* randomEvents(seed: number, count: number): Generator<AgentEvent> {
  let x = seed;
  const rand = (n: number) => ((x = (x * 1103515245 + 12345) % 2147483648) % n);
  const live: number[] = [];
  let next = 1;
  let t = 0;
  for (let i = 0; i < count; i++) {
    t += 1;
    const r = rand(10);
    if (r < 4 || live.length < 3) {
      const parent = live.length && rand(2) ? live[rand(live.length)] : null;
      live.push(next);
      yield { e: 'create', id: next++, kind: 'promise', name: `n${rand(5)}`, parent, site: null, t };
    } else if (r < 6) {
      yield { e: 'await', id: live[rand(live.length)], on: [live[rand(live.length)], live[rand(live.length)]], site: null, t };
    } else if (r < 7) {
      yield { e: 'state', id: live[rand(live.length)], state: rand(2) ? 'running' : 'pending', t };
    } else if (r < 9) {
      const [id] = live.splice(rand(live.length), 1);
      yield { e: 'end', id, state: rand(3) ? 'done' : 'failed', t };
    } else if (rand(2)) {
      yield { e: 'finding', kind: 'never-awaited', message: 'm', t, site: null, key: `k${rand(20)}` };
    } else {
      yield { e: 'retract', key: `k${rand(20)}` };
    }
  }
}

for (const [seed, keep] of [[1, 25], [7, 3], [42, 0]]) {
  test(`deltas applied in order reproduce the model exactly (seed ${seed}, keeping ${keep} finished)`, () => {
    const m = new InspectorModel({ maxFinishedTasks: keep });
    m.apply(0, hello());
    const replica = new Replica();
    // A second consumer (a re-opened view) starts from a snapshot taken mid-run, then follows the deltas.
    let late: Replica | undefined;
    let pending: AgentEvent[] = [];
    let x = seed;
    for (const ev of randomEvents(seed, 4000)) {
      pending.push(ev);
      x = (x * 69069 + 1) % 4294967296;
      if (x % 7 === 0) {
        m.apply(0, batch(pending));
        pending = [];
      }
      if (x % 53 === 0) {
        const d = m.takeDelta();
        if (d) {
          replica.apply(d);
          late?.apply(d);
        }
      }
      if (x % 997 === 0 && !late) {
        late = new Replica();
        late.apply(m.snapshot());
      }
    }
    m.apply(0, batch(pending));
    const last = m.takeDelta();
    if (last) {
      replica.apply(last);
      late?.apply(last);
    }

    const truth = m.snapshot();
    const sortById = <T extends { id: string }>(xs: T[]) => [...xs].sort((a, b) => a.id.localeCompare(b.id));
    assert.deepEqual(sortById([...replica.tasks.values()]), sortById(truth.upserts));
    assert.deepEqual(sortById([...replica.flags.values()]), sortById(truth.flags));
    assert.ok(late, 'a mid-run snapshot was taken');
    assert.deepEqual(sortById([...late.tasks.values()]), sortById(truth.upserts), 'snapshot + later deltas');
    assert.deepEqual(sortById([...late.flags.values()]), sortById(truth.flags));
    assert.ok(truth.retired > 0, 'retention was exercised');
    assert.equal(m.malformedEvents, 0);
  });
}
