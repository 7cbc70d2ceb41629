/**
 * Source locations. Agents intern them per connection (a `site` event, then a small id); the model gives
 * every one a model-wide SiteId, the number its views and deltas carry. Each site's Location goes once in
 * the delta stream (ModelDelta.sites); receivers keep the table and resolve ids when they show a task.
 */
import type { Location, Site, SiteId } from './types';

/**
 * Every site of every connection, by SiteId: numbered from 1 in the order they are first named (never 0,
 * so a SiteId is truthy like the Location it stands for).
 */
export class SiteRegistry {
  private readonly locations: Array<Location | undefined> = [undefined];
  private readonly entries: Site[] = [];
  /** Entries defined since the last takeFresh (the next delta's `sites`). */
  private fresh: Site[] = [];

  /** A new id, its location not known yet (a task may name a site before its `site` event arrives). */
  allocate(): SiteId {
    return this.locations.push(undefined) - 1;
  }

  define(id: SiteId, location: Location): void {
    if (this.locations[id] !== undefined) return;
    this.locations[id] = location;
    const entry: Site = { id, ...location };
    this.entries.push(entry);
    this.fresh.push(entry);
  }

  isDefined(id: SiteId): boolean {
    return this.locations[id] !== undefined;
  }

  /** The Location of a SiteId (the object every task there shares), null when not (yet) known. */
  location = (id: SiteId): Location | null => this.locations[id] ?? null;

  /** Every defined site: a snapshot's table. */
  all(): Site[] {
    return this.entries.slice();
  }

  /** The sites defined since the previous call. */
  takeFresh(): Site[] {
    const out = this.fresh;
    this.fresh = [];
    return out;
  }
}

/** One connection's sites: the agent's ids mapped to SiteIds. */
export class SiteTable {
  private readonly byLocal = new Map<number, SiteId>();

  constructor(private readonly registry: SiteRegistry) {}

  /**
   * Agents define each id once. A repeated definition is ignored: tasks already shown keep their
   * creation site (identity fields are never resent, see TaskProgress).
   */
  set(local: number, location: Location): void {
    this.registry.define(this.ref(local), location);
  }

  has(local: number): boolean {
    const id = this.byLocal.get(local);
    return id !== undefined && this.registry.isDefined(id);
  }

  /** The SiteId of an agent's site id (allocated the first time, even before the site is defined). */
  ref(local: number): SiteId {
    let id = this.byLocal.get(local);
    if (id === undefined) {
      id = this.registry.allocate();
      this.byLocal.set(local, id);
    }
    return id;
  }

  refs(locals: readonly number[]): SiteId[] {
    return locals.map((l) => this.ref(l));
  }

  /** The Location of an agent's site id (findings: their location is fixed when raised). */
  get(local: number | null | undefined): Location | null {
    if (local === null || local === undefined) return null;
    const id = this.byLocal.get(local);
    return id === undefined ? null : this.registry.location(id);
  }

  /** A stack of agent site ids (innermost first) as locations; unknown ids are left out. */
  stack(locals: readonly number[] | undefined): Location[] | undefined {
    if (!locals) return undefined;
    const out: Location[] = [];
    for (const l of locals) {
      const loc = this.get(l);
      if (loc) out.push(loc);
    }
    return out;
  }
}
