/**
 * What the publisher sums instead of sending one by one: ended records past their shape's allowance (by
 * kind, name, site and parent), ends that never had a record (a storm's served requests), and the shared
 * markers that count a task's storm promises. Sent as `rollup` events at each flush.
 */
import type { AgentEvent, TaskKind } from '../../protocol/events';
import { clock } from './clock';
import { isEnded, RecordBit, State, type Rec } from './records';

/** Rollup names under one parent and site found by a scan; more are found by a key string. */
const SCAN_NAMES = 16;

interface Rollup {
  kind: TaskKind; name: string; site: number | null; parent: Rec | null;
  count: number; failed: number; cancelled: number; totalMs: number;
}

export class Rollups {
  /** Rollups since the last flush, found by parent, then site, then kind and name (no key string per record). */
  private list: Rollup[] = [];
  private byParent = new Map<Rec | null, Map<number | null, Rollup[]>>();
  private byKey = new Map<string, Rollup>();
  /** Unsampled markers with children that settled since the last flush. */
  private markers: Rec[] = [];

  /** One more ended under `parent` (a shown ancestor: see shownAncestor). */
  count(kind: TaskKind, name: string, site: number | null, parent: Rec | null, state: State, ms: number): void {
    const acc = this.find(kind, name, site, parent);
    acc.count++;
    acc.failed += state === State.Failed ? 1 : 0;
    acc.cancelled += state === State.Cancelled ? 1 : 0;
    acc.totalMs += ms;
  }

  /** An unsampled promise (sharing its creator's marker) settled, or was made in a storm (counted then). */
  countMarker(marker: Rec, failed: boolean): void {
    const m = marker.more;
    if (m.rollCount++ === 0) this.markers.push(marker);
    if (failed) m.rollFailed++;
  }

  /** The rollup events since the last flush; `idOf` publishes a parent and gives its id. */
  take(idOf: (r: Rec | null) => number | null): AgentEvent[] {
    const t = clock.now();
    const out: AgentEvent[] = [];
    for (const acc of this.list) {
      out.push({
        e: 'rollup', kind: acc.kind, name: acc.name, site: acc.site, parent: idOf(acc.parent),
        count: acc.count, failed: acc.failed, cancelled: acc.cancelled, totalMs: round(acc.totalMs), t,
      });
    }
    this.list = [];
    this.byParent.clear();
    this.byKey.clear();
    for (const marker of this.markers) {
      const m = marker.more;
      out.push({
        e: 'rollup', kind: marker.kind, name: marker.name ?? 'promise', site: null, parent: idOf(shownAncestor(marker.parent)),
        count: m.rollCount, failed: m.rollFailed, cancelled: 0, totalMs: 0, t,
      });
      m.rollCount = m.rollFailed = 0;
    }
    this.markers = [];
    return out;
  }

  /**
   * Runs per rolled-up record (thousands per flush on a busy server): identity lookups and a short scan,
   * no key string built. A site rarely has more than a few names under one parent.
   */
  private find(kind: TaskKind, name: string, site: number | null, parent: Rec | null): Rollup {
    let bySite = this.byParent.get(parent);
    if (bySite === undefined) this.byParent.set(parent, (bySite = new Map()));
    let list = bySite.get(site);
    if (list === undefined) bySite.set(site, (list = []));
    const scan = Math.min(list.length, SCAN_NAMES);
    for (let i = 0; i < scan; i++) {
      const acc = list[i];
      if (acc.name === name && acc.kind === kind) return acc;
    }
    // Many names at one site (a crawler's hosts, spawned commands): a keyed lookup past the first few.
    const key = scan < SCAN_NAMES ? null : `${kind}\0${name}\0${site}\0${parent === null ? 0 : parent.id}`;
    const known = key === null ? undefined : this.byKey.get(key);
    if (known !== undefined) return known;
    const acc: Rollup = { kind, name, site, parent, count: 0, failed: 0, cancelled: 0, totalMs: 0 };
    if (key === null) list.push(acc);
    else this.byKey.set(key, acc);
    this.list.push(acc);
    return acc;
  }
}

/**
 * The parent a rollup is counted under: the nearest ancestor that is shown or may still be (published, or
 * not ended yet). An ended one that was not published was (or will be) rolled up itself: naming it would
 * publish it, one by one, for the sake of its children (a served request's handler promises).
 */
export function shownAncestor(parent: Rec | null): Rec | null {
  let p = parent;
  while (p !== null && (p.flags & RecordBit.Published) === 0 && isEnded(p)) p = p.parent;
  return p;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
