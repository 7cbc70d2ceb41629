/** The session's flags: agent findings and lint results, withdrawable by key. */
import type { FlagView } from './types';
import type { ChangeTracker } from './changes';

/** A runaway agent must not grow memory without bound; beyond this, findings are counted, not kept. */
export const MAX_FLAGS = 10_000;

export class FlagStore {
  private readonly byId = new Map<string, FlagView>();
  private readonly idByKey = new Map<string, string>();
  private next = 1;
  /** Findings not kept because MAX_FLAGS was reached. */
  overflow = 0;

  constructor(private readonly changes: ChangeTracker) {}

  /** Adds a flag; a `key` (already namespaced by connection) replaces an earlier flag with the same key. */
  add(flag: Omit<FlagView, 'id'>, key?: string): FlagView | undefined {
    if (key !== undefined) this.retract(key);
    if (this.byId.size >= MAX_FLAGS) {
      this.overflow++;
      return undefined;
    }
    const view: FlagView = { id: `f${this.next++}`, ...flag };
    this.byId.set(view.id, view);
    if (key !== undefined) this.idByKey.set(key, view.id);
    this.changes.flagAdded(view);
    return view;
  }

  retract(key: string): boolean {
    const id = this.idByKey.get(key);
    if (id === undefined) return false;
    this.idByKey.delete(key);
    this.byId.delete(id);
    this.changes.flagRetracted(id);
    return true;
  }

  all(): FlagView[] {
    return [...this.byId.values()];
  }
}
