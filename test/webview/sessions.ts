/**
 * Builders for the extension → view messages the browser tests post (ModelDeltas as the model makes them).
 * Tests write source locations as Locations; the builders number them as the model does (SiteIds, one per
 * place for the whole test process) and each delta carries the site table entries its tasks name.
 */
import { mapSites } from '../../src/model/task-shape';
import type { Counts, Location, ModelDelta, SessionInfo, Site, SiteId, TaskProgress, TaskShape, TaskView } from '../../src/model/types';
import type { SessionMessage } from '../../src/shared/messages';
import type { SiteOf } from '../../src/shared/store';

export const SESSION: SessionInfo = { runtime: 'node', command: ['node', '/work/app/app.js'], pid: 4242, startEpochMs: 1_700_000_000_000 };

const siteIds = new Map<string, SiteId>();
const sites = new Map<SiteId, Site>();

/** The SiteId of a place (the same place, the same id). */
export function siteId(loc: Location): SiteId {
  const key = JSON.stringify([loc.file, loc.line, loc.col, loc.function]);
  let id = siteIds.get(key);
  if (id === undefined) {
    id = siteIds.size + 1;
    siteIds.set(key, id);
    sites.set(id, { id, ...loc });
  }
  return id;
}

/** The Location of a SiteId these builders made. */
export const siteOf: SiteOf = (id) => {
  const s = id === null || id === undefined ? undefined : sites.get(id);
  if (!s) return null;
  const { id: _id, ...loc } = s;
  return loc;
};

/** Location or SiteId: a test may write either. */
type Place = Location | SiteId;
const asId = (p: Place): SiteId => (typeof p === 'number' ? p : siteId(p));

/** A TaskView; `over` may give its source locations as Locations. */
export function task(id: string, over: Partial<TaskShape<Place>> = {}): TaskView {
  const t: TaskShape<Place> = {
    id, name: `task${id}`, kind: 'promise', state: 'pending', parent: null, awaiting: [], awaitedBy: [],
    created: { file: '/work/app/app.js', line: Number(id.replace(/\D/g, '')) || 1, function: 'main' },
    createdAt: 1, ...over,
  };
  return mapSites(t, asId);
}

/** A progress entry; `over` may give its await line as a Location. */
export function progressOf(id: string, over: Partial<Omit<TaskProgress, 'awaitAt'>> & { awaitAt?: Place | null } = {}): TaskProgress {
  const { awaitAt, ...rest } = over;
  const p: TaskProgress = { id, name: `task${id}`, state: 'pending', awaiting: [], awaitedBy: [], ...rest };
  if (awaitAt !== undefined) p.awaitAt = awaitAt === null ? null : asId(awaitAt);
  return p;
}

/** The site table entries the records name (those these builders made). */
function sitesOf(records: ReadonlyArray<Partial<TaskView> | null>): Site[] {
  const used = new Set<SiteId>();
  for (const r of records) {
    if (typeof r !== 'object' || r === null) continue; // a test's malformed record
    for (const id of [r.created, r.awaitAt, ...(r.stack ?? []), ...(r.error?.stack ?? [])]) if (typeof id === 'number') used.add(id);
  }
  return [...used].sort((a, b) => a - b).flatMap((id) => sites.get(id) ?? []);
}

export function countsOf(tasks: TaskView[]): Counts {
  const c: Counts = { queued: 0, pending: 0, running: 0, done: 0, failed: 0, cancelled: 0 };
  for (const t of tasks) c[t.state]++;
  return c;
}

export function delta(seq: number, upserts: TaskView[], over: Partial<ModelDelta> = {}): ModelDelta {
  return {
    seq, reset: false, sites: sitesOf([...upserts, ...(over.progress ?? [])]), upserts, removed: [], flags: [], retractedFlags: [], loops: [],
    counts: countsOf(upserts), retired: 0, dropped: 0, now: 100 * seq, ...over,
  };
}

export const reset = (session: SessionInfo | null = SESSION): SessionMessage => ({ type: 'reset', session });
export const deltaMsg = (d: ModelDelta): SessionMessage => ({ type: 'delta', delta: d });

/**
 * The Promise.all scenario of docs/scenarios.md as the model reports it mid-run: main awaits Promise.all of
 * three fetches (two done, one pending on a socket), a timer, an fs read that failed, one cancelled job.
 */
export function gatherScenario(): TaskView[] {
  const site = (line: number, fn: string) => ({ file: '/work/app/src/fetch-all.js', line, function: fn });
  return [
    task('1', { name: 'main', state: 'pending', created: site(30, '<module>'), awaiting: ['2'], createdAt: 0 }),
    task('2', { name: 'Promise.all', state: 'pending', parent: '1', created: site(12, 'main'), awaiting: ['3', '4', '5'], awaitedBy: ['1'], createdAt: 2 }),
    task('3', { name: 'fetchUser', state: 'done', parent: '1', created: site(12, 'main'), awaitedBy: ['2'], createdAt: 3, endedAt: 48 }),
    task('4', { name: 'fetchOrders', state: 'done', parent: '1', created: site(12, 'main'), awaitedBy: ['2'], createdAt: 3, endedAt: 95 }),
    task('5', { name: 'fetchInvoices', state: 'pending', parent: '1', created: site(12, 'main'), awaiting: ['6'], awaitedBy: ['2'], createdAt: 4 }),
    task('6', { name: 'TCPWRAP', kind: 'io', state: 'pending', parent: '5', created: site(5, 'fetchInvoices'), awaitedBy: ['5'], createdAt: 5 }),
    task('7', { name: 'Timeout', kind: 'timer', state: 'running', parent: '1', created: site(40, 'main'), createdAt: 6 }),
    task('8', { name: 'readConfig', state: 'failed', parent: '1', created: site(22, 'loadConfig'), createdAt: 1, endedAt: 7,
      error: { type: 'Error', message: 'ENOENT: no such file or directory, open config.json' } }),
    task('9', { name: 'refreshCache', state: 'cancelled', parent: '1', created: site(50, 'main'), createdAt: 8, endedAt: 60 }),
    task('10', { name: 'processPayment', kind: 'executor', state: 'queued', parent: '1', created: site(61, 'main'), createdAt: 9, thread: 'worker-1' }),
  ];
}
