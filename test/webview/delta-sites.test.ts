/**
 * Site ids and the site table, from the model to the view: tasks name their source locations by SiteId,
 * each site's Location goes once in the delta stream (a snapshot: all of them), the host validates a delta
 * once and posts that same object on, and the store resolves ids when the view asks.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InspectorModel } from '../../src/model/model';
import type { AgentEvent } from '../../src/protocol/events';
import { parseExtToView } from '../../src/shared/messages';
import { checkDelta } from '../../src/shared/modelGuards';
import { SessionStore } from '../../src/shared/store';
import { SESSION, delta, siteId, task } from './sessions';

const main = { file: '/work/app/src/server.js', line: 12, col: 3, function: 'main' };
const handler = { file: '/work/app/src/routes.js', line: 40, function: 'handle' };

function model(): { m: InspectorModel; batch: (...events: AgentEvent[]) => void } {
  const m = new InspectorModel();
  m.apply(0, { type: 'hello', protocol: 2, token: 't', runtime: 'node', pid: 1, ppid: 0, argv: ['node'], cwd: '/', agentVersion: '0', runtimeVersion: 'v22', startEpochMs: 0 });
  let seq = 0;
  return { m, batch: (...events) => m.apply(0, { type: 'batch', seq: seq++, dropped: 0, events }) };
}

const site = (id: number, loc: { file: string; line: number; function: string }): AgentEvent => ({ e: 'site', id, file: loc.file, line: loc.line, fn: loc.function });

describe('the site table', () => {
  it('goes once in the delta stream: a later delta naming the same site carries no entry', () => {
    const { m, batch } = model();
    batch(site(1, main), site(2, handler), { e: 'create', id: 1, kind: 'promise', name: 'a', parent: null, site: 1, t: 1, stack: [1, 2] });
    const first = m.takeDelta()!;
    assert.deepEqual(first.sites?.map(({ id: _id, ...loc }) => loc), [{ file: main.file, line: 12, function: 'main' }, handler]);
    const [mainId] = first.sites!.map((s) => s.id);
    assert.equal(first.upserts[0].created, mainId);
    batch({ e: 'create', id: 2, kind: 'promise', name: 'b', parent: null, site: 1, t: 2 }, { e: 'await', id: 1, on: [2], site: 2, t: 3 });
    const second = m.takeDelta()!;
    assert.deepEqual(second.sites, [], 'sites already sent are not sent again');
    assert.equal(second.upserts[0].created, mainId);
    assert.equal(second.progress?.[0].awaitAt, first.sites![1].id);
    assert.deepEqual(m.snapshot().sites, first.sites, 'a snapshot carries the whole table');
  });

  it('lets a task name a site defined later: its entry comes in a later delta and the store resolves it then', () => {
    const { m, batch } = model();
    batch({ e: 'create', id: 1, kind: 'promise', name: 'a', parent: null, site: 7, t: 1 });
    const store = new SessionStore();
    store.apply({ type: 'reset', session: SESSION });
    store.apply({ type: 'delta', delta: m.takeDelta()! });
    const held = store.tasks.get('1')!;
    assert.equal(store.site(held.created), null, 'not known yet');
    batch(site(7, handler));
    const later = m.takeDelta();
    assert.ok(later, 'a new site alone makes a delta');
    store.apply({ type: 'delta', delta: later });
    assert.deepEqual(store.site(store.tasks.get('1')!.created), handler);
    assert.deepEqual(m.report({ command: [] }).tasks[0].created, handler, 'the report has the resolved location');
  });

  it('is validated once by the host, which posts the same object on; the view holds the table', () => {
    const d = JSON.parse(JSON.stringify(delta(3, [task('1', { created: main, stack: [main, handler] })])));
    const checked = checkDelta(d);
    assert.equal(checked?.delta, d, 'the same object: not copied or repacked');
    const viewed = parseExtToView({ type: 'delta', delta: checked?.delta });
    const store = new SessionStore();
    store.apply({ type: 'reset', session: SESSION });
    for (const msg of viewed!.messages) store.apply(msg);
    const t = store.tasks.get('1')!;
    assert.deepEqual(store.site(t.created), main);
    assert.deepEqual(t.stack?.map(store.site), [main, handler]);
    assert.deepEqual(store.snapshot().sites?.map((s) => s.id).sort(), [siteId(main), siteId(handler)].sort());
  });

  it('leaves out malformed entries and records (counted), and refuses a table that is not a list', () => {
    const d = delta(1, [task('1', { created: main }), task('2', { created: main })]);
    const bad = [-1, 0, 0.5, '1', null, { file: 'x' }];
    const upserts = [...d.upserts, ...bad.map((ref, i) => ({ ...d.upserts[0], id: `x${i}`, stack: [ref] }))];
    const sites = [...d.sites!, { id: 99, file: 1, line: 2, function: 'f' }, { file: '/a', line: 2, function: 'f' }];
    const checked = checkDelta(JSON.parse(JSON.stringify({ ...d, upserts, sites })));
    assert.deepEqual(checked?.delta.upserts.map((t) => t.id), ['1', '2']);
    assert.deepEqual(checked?.delta.sites, d.sites);
    assert.equal(checked?.invalid, bad.length + 2);
    assert.equal(checkDelta({ ...d, sites: { 0: main } }), undefined);
    assert.equal(checkDelta({ ...d, sites: null }), undefined);
  });

  it('is cleared by a reset: a new session starts with an empty table', () => {
    const store = new SessionStore();
    store.apply({ type: 'reset', session: SESSION });
    store.apply({ type: 'delta', delta: delta(1, [task('1', { created: main })]) });
    assert.equal(store.sites.size, 1);
    store.apply({ type: 'reset', session: SESSION });
    assert.equal(store.sites.size, 0);
  });
});
