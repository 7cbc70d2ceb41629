/** The session's flags: agent findings and lint results, withdrawable by key; one flag per mistake. */
import type { FlagView } from './types';
import type { ChangeTracker } from './changes';
import { isSuperseded, SPECIFIC_KINDS, supersededBy } from './lints/superseded';

/** A runaway agent must not grow memory without bound; beyond this, findings are counted, not kept. */
export const MAX_FLAGS = 10_000;

export class FlagStore {
  private readonly byId = new Map<string, FlagView>();
  private readonly idByKey = new Map<string, string>();
  private next = 1;
  /** Ids of flags that may make later generic ones redundant (few: see lints/superseded.ts). */
  private readonly specificIds = new Set<string>();
  /** Findings not kept because MAX_FLAGS was reached. */
  overflow = 0;

  constructor(private readonly changes: ChangeTracker) {}

  /** Adds a flag; a `key` (already namespaced by connection) replaces an earlier flag with the same key. */
  add(flag: Omit<FlagView, 'id'>, key?: string): FlagView | undefined {
    if (key !== undefined) this.retract(key);
    if (isSuperseded(flag, this.flagsWithIds(this.specificIds))) return undefined;
    for (const old of supersededBy(flag, this.byId.values())) this.remove(old.id);
    if (this.byId.size >= MAX_FLAGS) {
      this.overflow++;
      return undefined;
    }
    const view: FlagView = { id: `f${this.next++}`, ...flag };
    this.byId.set(view.id, view);
    if (SPECIFIC_KINDS.has(view.kind)) this.specificIds.add(view.id);
    if (key !== undefined) this.idByKey.set(key, view.id);
    this.changes.flagAdded(view);
    return view;
  }

  retract(key: string): boolean {
    const id = this.idByKey.get(key);
    if (id === undefined) return false;
    this.idByKey.delete(key);
    this.remove(id);
    return true;
  }

  private remove(id: string): void {
    this.byId.delete(id);
    this.specificIds.delete(id);
    for (const [key, keyed] of this.idByKey) if (keyed === id) this.idByKey.delete(key);
    this.changes.flagRetracted(id);
  }

  private *flagsWithIds(ids: Iterable<string>): Iterable<FlagView> {
    for (const id of ids) {
      const flag = this.byId.get(id);
      if (flag) yield flag;
    }
  }

  all(): FlagView[] {
    return [...this.byId.values()];
  }
}
