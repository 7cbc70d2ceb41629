/**
 * What one delta costs where it crosses the extension host and the view: a 3,000-task delta (every task new:
 * upserts) and the next one (the same tasks changed: progress entries), built by the real model from agent
 * events, as JSON (the DAP event's body). Host: checkDelta (validated once; then posted on as it came).
 * View: parseExtToView + SessionStore.apply. Bundled and minified like the extension (npm run bench -- host);
 * CPU time per delta, median of the rounds. Also the delta's JSON size.
 * Run: npm run bench -- host, or npx tsx bench/host/delta.ts [tasks=3000] [rounds=200]
 */
import { InspectorModel } from '../../src/model/model';
import type { AgentEvent } from '../../src/protocol/events';
import type { ModelDelta } from '../../src/model/types';
import { parseExtToView } from '../../src/shared/messages';
import { checkDelta } from '../../src/shared/modelGuards';
import { SessionStore } from '../../src/shared/store';

const TASKS = Number(process.argv[2] ?? 3000);
const ROUNDS = Number(process.argv[3] ?? 200);
const SITES = 200;

/** Two deltas of the same TASKS tasks: created (with stacks, awaits) and then progressed (awaits moved, some ended). */
function deltas(): { first: ModelDelta; second: ModelDelta; hello: unknown } {
  const model = new InspectorModel({ maxFinishedTasks: 100_000 });
  model.apply(0, {
    type: 'hello', protocol: 2, token: 't', runtime: 'node', pid: 1, ppid: 0, argv: ['node', 'app.js'],
    cwd: '/', agentVersion: '0', runtimeVersion: process.version, startEpochMs: 0,
  });
  const sites: AgentEvent[] = [];
  for (let s = 1; s <= SITES; s++) sites.push({ e: 'site', id: s, file: `/home/user/app/src/module${s % 40}.js`, line: s * 3, fn: `handler${s}` });
  const created: AgentEvent[] = [...sites];
  for (let id = 1; id <= TASKS; id++) {
    const site = (id % SITES) + 1;
    created.push(
      { e: 'create', id, kind: 'promise', name: `handler${site}`, parent: id > 1 ? id - 1 : null, site, t: id / 100, stack: [site, ((site + 7) % SITES) + 1, ((site + 13) % SITES) + 1] },
      { e: 'state', id, state: 'running', t: id / 100 },
      { e: 'await', id, on: id > 1 ? [id - 1] : [], site: ((site + 3) % SITES) + 1, t: id / 100 },
    );
  }
  model.apply(0, { type: 'batch', seq: 1, dropped: 0, events: created });
  const first = model.takeDelta()!;
  const moved: AgentEvent[] = [];
  for (let id = 1; id <= TASKS; id++) {
    if (id % 3 === 0) moved.push({ e: 'end', id, state: 'done', t: 100 + id / 100 });
    else moved.push({ e: 'await', id, on: [], site: ((id + 5) % SITES) + 1, t: 100 + id / 100 });
  }
  model.apply(0, { type: 'batch', seq: 2, dropped: 0, events: moved });
  return { first, second: model.takeDelta()!, hello: model.info };
}

function cpuMs(fn: () => void): number {
  const u = process.cpuUsage();
  fn();
  const d = process.cpuUsage(u);
  return (d.user + d.system) / 1000;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The delta as the adapter sends it (the DAP event's body). */
const wireOf = (d: ModelDelta): unknown => d;

/** The host's part: validated once, then the message the view is posted. */
function throughHost(body: unknown): unknown {
  const checked = checkDelta(body as never);
  if (!checked) throw new Error('delta refused');
  return { type: 'delta', delta: checked.delta };
}

/** The view's part: the posted message read and applied to its store. */
function intoView(store: SessionStore, posted: unknown): void {
  for (const m of parseExtToView(posted as never)!.messages) store.apply(m);
}

const { first, second, hello } = deltas();
const out: Record<string, unknown> = { tasks: TASKS, rounds: ROUNDS };
for (const [name, delta] of [['upserts', first], ['progress', second]] as const) {
  const json = JSON.stringify(wireOf(delta));
  const host: number[] = [];
  const view: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const body = JSON.parse(json); // the DAP layer's parse, not counted
    let posted: unknown;
    host.push(cpuMs(() => { posted = throughHost(body); }));
    const received = structuredClone(posted); // postMessage's copy, not counted
    const store = new SessionStore();
    store.apply({ type: 'reset', session: hello as never });
    if (name === 'progress') intoView(store, structuredClone(throughHost(JSON.parse(JSON.stringify(wireOf(first))))));
    view.push(cpuMs(() => intoView(store, received)));
  }
  out[name] = { kb: +(json.length / 1024).toFixed(1), hostMs: +median(host).toFixed(3), viewMs: +median(view).toFixed(3) };
}
console.log(JSON.stringify(out));
