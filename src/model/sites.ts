/** Interned source locations of one connection: agents send a `site` once and refer to it by id. */
import type { Location } from './types';

export class SiteTable {
  private readonly byId = new Map<number, Location>();

  /**
   * Agents define each id once. A repeated definition is ignored: tasks already sent to the UI keep
   * their creation site (identity fields are never resent, see TaskProgress).
   */
  set(id: number, location: Location): void {
    if (!this.byId.has(id)) this.byId.set(id, location);
  }

  has(id: number): boolean {
    return this.byId.has(id);
  }

  get(id: number | null | undefined): Location | null {
    if (id === null || id === undefined) return null;
    return this.byId.get(id) ?? null;
  }

  /** A stack of site ids (innermost first) as locations; unknown ids are left out. */
  stack(ids: readonly number[] | undefined): Location[] | undefined {
    if (!ids) return undefined;
    const out: Location[] = [];
    for (const id of ids) {
      const loc = this.byId.get(id);
      if (loc) out.push(loc);
    }
    return out;
  }
}
