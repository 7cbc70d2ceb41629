/**
 * What the tree, the timeline and the header show: the store's session, rewound to the scrubber's time
 * (when the user dragged it back), then narrowed by the search query. Recomputed only when one of the
 * three changes, and shared by every part of the view.
 */
import type { Counts, FlagView, TaskView } from '../model/types';
import { flagKindsByTask, flagMatches, isEmptyQuery, parseQuery, taskMatches, type Query } from './query';
import { momentAt } from './rewind';
import type { GroupBy } from './rowTypes';
import { emptyCounts } from '../model/counts';
import type { SessionStore } from '../shared/store';

export interface Shown {
  tasks: ReadonlyMap<string, TaskView>;
  /** Every task held (at the rewind time), whatever the query: what details name as relations. */
  all: ReadonlyMap<string, TaskView>;
  flags: FlagView[];
  /** Per-state numbers for the section headers: session totals, or what matches / existed at the time. */
  counts: Counts;
  /** Counts for the header chips (the session's totals, or those at the rewind time). */
  headerCounts: Counts;
  /** Flags raised (by the rewind time), before filtering. */
  headerFlags: number;
  /** Tasks held (at the rewind time) before filtering, and how many of them match. */
  held: number;
  matching: number;
  filtered: boolean;
  /** Session time the view is rewound to; null: the present. */
  at: number | null;
  group: GroupBy;
}

export class ShownState {
  private queryText = '';
  private query: Query = parseQuery('');
  group: GroupBy = 'state';
  private rewindAt: number | null = null;
  private cached: Shown | null = null;
  private cachedVersion = -1;
  /** Bumped whenever what is shown may differ (store change, query, group or time). */
  version = 0;

  constructor(private readonly store: SessionStore) {}

  get text(): string {
    return this.queryText;
  }

  get at(): number | null {
    return this.rewindAt;
  }

  setQuery(text: string): void {
    if (text === this.queryText) return;
    this.queryText = text;
    this.query = parseQuery(text);
    this.invalidate();
  }

  setGroup(group: GroupBy): void {
    if (group === this.group) return;
    this.group = group;
    this.invalidate();
  }

  /** Rewinds to session time `at` (null: back to the present). */
  setTime(at: number | null): void {
    if (at === this.rewindAt) return;
    this.rewindAt = at;
    this.invalidate();
  }

  get(): Shown {
    if (this.cached && this.cachedVersion === this.store.version) return this.cached;
    this.cachedVersion = this.store.version;
    this.version++;
    this.cached = this.compute();
    return this.cached;
  }

  private invalidate(): void {
    this.cached = null;
  }

  private compute(): Shown {
    const store = this.store;
    const at = this.rewindAt !== null && this.rewindAt < store.now ? this.rewindAt : null;
    const moment = at === null ? null : momentAt(store.tasks, store.flags.values(), at);
    const tasks = moment?.tasks ?? store.tasks;
    const flags = moment?.flags ?? [...store.flags.values()];
    const headerCounts = moment?.counts ?? store.counts;
    const base = { all: tasks, held: tasks.size, at, group: this.group, headerCounts, headerFlags: flags.length };
    if (isEmptyQuery(this.query)) {
      return { ...base, tasks, flags, counts: headerCounts, matching: tasks.size, filtered: false };
    }
    const kinds = flagKindsByTask(flags);
    const matched = new Map<string, TaskView>();
    const counts = emptyCounts();
    for (const t of tasks.values()) {
      if (!taskMatches(t, this.query, kinds, store.site)) continue;
      matched.set(t.id, t);
      counts[t.state]++;
    }
    const shownFlags = flags.filter((f) => flagMatches(f, this.query, (id) => tasks.get(id), store.site));
    return { ...base, tasks: matched, flags: shownFlags, counts, matching: matched.size, filtered: true };
  }
}
