/**
 * The virtualized task tree: a scroll container (role=tree) whose height stands for every row, and a
 * small pool of row elements positioned over the visible window. 100,000 tasks cost 100,000 array
 * entries, never 100,000 DOM nodes. Updates keep the rows under the user's eyes where they were, and the
 * row under the pointer exactly where it is (a click aimed at it must not land on a row that slid in).
 */
import type { FlagView, TaskView } from '../model/types';
import { ProcessIndex } from '../shared/processes';
import { buildRows } from './rows';
import { foldState, sectionKey, sectionOf, siteKey, type Expansion, type GroupBy, type Row } from './rowTypes';
import { processKey } from './rowsByProcess';
import { PointerHold } from './pointerHold';
import type { RowContext } from './rowCells';
import { ROW_HEIGHT, RowView } from './rowView';
import type { ShownState } from './shown';
import { StickySection } from './stickySection';
import type { SessionStore } from '../shared/store';

const TREE_LABELS: Record<GroupBy, string> = {
  state: 'Tasks by state', creator: 'Tasks by creating task', site: 'Tasks by creation site',
};

/** Rows rendered above and below the visible window (smooth scrolling without blank flashes). */
const OVERSCAN = 8;

export interface TreeCallbacks {
  /** The user asked to see where a task was created. */
  openTask(task: TaskView): void;
  /** The user asked to see where a flag points. */
  openFlag(flag: FlagView): void;
  /** The selected row changed (to show its details). */
  selectionChanged(): void;
  /** The user folded or unfolded something (to persist it). */
  foldChanged(expansion: Expansion): void;
  /** The session clock to show durations against. */
  now(): number;
}

export class TreeView {
  readonly root: HTMLElement;
  readonly expansion: Expansion = {
    collapsedSections: new Set(), collapsedTasks: new Set(), expandedSites: new Set(), collapsedKeys: new Set(),
  };
  private readonly canvas: HTMLElement;
  private readonly pool: RowView[] = [];
  private readonly sticky: StickySection;
  private rows: Row[] = [];
  private selectedKey: string | null = null;
  /** Index of the selected row in `rows` (-1: none), kept in step with `rows` and `selectedKey`. */
  private selected = -1;
  private readonly hold: PointerHold;
  private processIndex = new ProcessIndex([]);

  constructor(
    parent: HTMLElement, private readonly store: SessionStore, private readonly shown: ShownState,
    private readonly callbacks: TreeCallbacks,
  ) {
    this.root = document.createElement('div');
    this.root.className = 'tree';
    this.root.tabIndex = 0;
    this.root.setAttribute('role', 'tree');
    this.root.setAttribute('aria-label', 'Tasks by state');
    this.root.dataset.testid = 'task-tree';
    this.canvas = document.createElement('div');
    this.canvas.className = 'tree-canvas';
    this.canvas.setAttribute('role', 'none');
    this.root.appendChild(this.canvas);
    this.sticky = new StickySection(this.root, (index) => {
      this.root.scrollTop = index * ROW_HEIGHT;
    });
    parent.appendChild(this.root);
    this.root.addEventListener('scroll', () => this.renderWindow(), { passive: true });
    this.root.addEventListener('click', (e) => this.onClick(e));
    this.root.addEventListener('focus', () => {
      // From the keyboard only: a click's focus comes before its click, and revealing row 0 would scroll
      // another row under the pointer.
      if (this.selectedIndex() < 0 && this.rows.length > 0 && this.root.matches(':focus-visible')) this.select(0);
    });
    new ResizeObserver(() => this.renderWindow()).observe(this.root);
    this.hold = new PointerHold(this.root, this.canvas, () => this.renderWindow());
  }

  get rowCount(): number {
    return this.rows.length;
  }

  rowAt(index: number): Row | undefined {
    return this.rows[index];
  }

  /** Rows that fit in the viewport (for PageUp/PageDown). */
  get pageSize(): number {
    return Math.max(1, Math.floor(this.root.clientHeight / ROW_HEIGHT) - 1);
  }

  /** The program's processes, indexed once per change of the store's list. */
  get processes(): ProcessIndex {
    if (this.processIndex.list !== this.store.processes) this.processIndex = new ProcessIndex(this.store.processes);
    return this.processIndex;
  }

  selectedIndex(): number {
    return this.selected;
  }

  /** Rebuilds the rows from the store (data or folding changed), keeping the visible rows in place. */
  update(): void {
    const hovered = this.hold.hovered(this.rows);
    const anchor = this.captureAnchor();
    const shown = this.shown.get();
    this.rows = buildRows(shown.tasks, shown.counts, this.expansion, shown.flags, shown.group, this.processes, this.store.loops.values(), this.store.site);
    this.root.setAttribute('aria-label', TREE_LABELS[shown.group]);
    // One pass finds the selected row and the anchored rows (no key→index map over 100k rows).
    const anchorKeys = new Map(anchor?.rows.map((r, k) => [r.key, k]));
    const found: Array<number | undefined> = [];
    let hoveredAt = -1;
    this.selected = -1;
    for (let i = 0; i < this.rows.length; i++) {
      const key = this.rows[i].key;
      if (key === this.selectedKey) this.selected = i;
      if (key === hovered?.key) hoveredAt = i;
      const k = anchorKeys.get(key);
      if (k !== undefined) found[k] = i;
    }
    if (hovered && hoveredAt >= 0) this.hold.keep(hoveredAt, hovered.y, this.rows.length);
    else {
      this.hold.size(this.rows.length);
      if (anchor) this.restoreAnchor(anchor, found);
    }
    this.renderWindow();
  }

  select(index: number, reveal = true): void {
    const row = this.rows[index];
    if (!row) return;
    const changed = this.selectedKey !== row.key;
    this.selectedKey = row.key;
    this.selected = index;
    if (reveal) this.reveal(index);
    this.renderWindow();
    if (changed) this.callbacks.selectionChanged();
  }

  /** Forgets the selection (a new session: its task ids mean other tasks). */
  clearSelection(): void {
    if (this.selectedKey === null) return;
    this.selectedKey = null;
    this.selected = -1;
    this.renderWindow();
    this.callbacks.selectionChanged();
  }

  /** The id of the selected task, if a task row is selected. */
  selectedTaskId(): string | undefined {
    const row = this.rows[this.selected];
    return row?.kind === 'task' ? row.task.id : undefined;
  }

  /** The selected flag, if a flag row is selected. */
  selectedFlag(): FlagView | undefined {
    const row = this.rows[this.selected];
    return row?.kind === 'flag' ? row.flag : undefined;
  }

  /** Selects a task's row, unfolding what hides it, and scrolls it into view. */
  selectTask(id: string): void {
    const shown = this.shown.get();
    const task = shown.tasks.get(id);
    if (!task) return;
    // In a process tree: its process and the process's ancestors unfolded, and its section in that process.
    const processes = this.processes;
    const proc = processes.several ? processes.of(id) : undefined;
    const scope = proc ? `${proc.pid}:` : '';
    for (let p = proc, n = 0; p && n < processes.list.length; p = processes.parentOf(p), n++) {
      this.expansion.collapsedKeys?.delete(processKey(p.pid));
    }
    const unfold = (section: 'all' | 'sites' | typeof task.state): void => {
      if (proc) this.expansion.collapsedKeys?.delete(sectionKey(section, scope));
      else this.expansion.collapsedSections.delete(section);
    };
    switch (shown.group) {
      case 'state':
      case 'creator': {
        unfold(shown.group === 'state' ? task.state : 'all');
        const seen = new Set<string>();
        for (let p = task.parent; p !== null && !seen.has(p); p = shown.tasks.get(p)?.parent ?? null) {
          seen.add(p);
          this.expansion.collapsedTasks.delete(p);
        }
        break;
      }
      case 'site':
        unfold('sites');
        this.expansion.expandedSites?.add(siteKey(this.store.site(task.created), scope));
        break;
      default: {
        const never: never = shown.group;
        return never;
      }
    }
    this.update();
    const index = this.rows.findIndex((r) => r.kind === 'task' && r.task.id === id);
    if (index >= 0) this.select(index);
  }

  /** Folds or unfolds a section or a task with children. */
  toggle(index: number, expand?: boolean): void {
    const row = this.rows[index];
    const fold = row ? foldState(row) : 'none';
    if (fold === 'none') return;
    const want = expand ?? fold === 'collapsed';
    if (want === (fold === 'expanded')) return;
    if (row.kind === 'process' || (row.kind === 'section' && row.parentIndex >= 0)) {
      setMember((this.expansion.collapsedKeys ??= new Set()), row.key, !want);
    } else if (row.kind === 'section') setMember(this.expansion.collapsedSections, row.state, !want);
    else if (row.kind === 'task') setMember(this.expansion.collapsedTasks, row.task.id, !want);
    else if (row.kind === 'site') setMember((this.expansion.expandedSites ??= new Set()), row.key, want);
    this.callbacks.foldChanged(this.expansion);
    this.update();
  }

  /** The row's action: a task or flag opens its source location, a section or site folds or unfolds. */
  open(index: number): void {
    const row = this.rows[index];
    if (row?.kind === 'task') this.callbacks.openTask(row.task);
    else if (row?.kind === 'flag') this.callbacks.openFlag(row.flag);
    else if (row) this.toggle(index);
  }

  /** Draws the rows in the visible window into the pooled elements. */
  renderWindow(): void {
    const height = this.root.clientHeight;
    const top = this.root.scrollTop;
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(this.rows.length, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN);
    const needed = Math.ceil(height / ROW_HEIGHT) + 2 * OVERSCAN + 1;
    while (this.pool.length < needed) this.pool.push(new RowView(this.canvas, `row-${this.pool.length}`));
    const ctx: RowContext = {
      now: this.callbacks.now(),
      nameOf: (id) => this.store.tasks.get(id)?.name,
      site: this.store.site,
      selectedKey: this.selectedKey,
      paused: this.store.paused,
      processes: this.processes,
    };
    // Row i always lands in pool slot i % size: a row keeps its element while it stays in view, so
    // refilling it with unchanged data writes nothing to the DOM.
    const used = new Set<RowView>();
    let active: string | null = null;
    for (let i = first; i < last; i++) {
      const view = this.pool[i % this.pool.length];
      view.fill(this.rows[i], i, ctx);
      used.add(view);
      if (this.rows[i].key === this.selectedKey) active = view.domId;
    }
    for (const view of this.pool) if (!used.has(view)) view.hide();
    this.sticky.update(this.rows, top);
    if (active) this.root.setAttribute('aria-activedescendant', active);
    else this.root.removeAttribute('aria-activedescendant');
  }

  private reveal(index: number): void {
    const top = index * ROW_HEIGHT;
    // The sticky section header may cover the topmost row: keep one row above the revealed one.
    const covered = index > 0 ? ROW_HEIGHT : 0;
    if (top - covered < this.root.scrollTop) this.root.scrollTop = top - covered;
    else if (top + ROW_HEIGHT > this.root.scrollTop + this.root.clientHeight) {
      this.root.scrollTop = top + ROW_HEIGHT - this.root.clientHeight;
    }
  }

  private onClick(e: MouseEvent): void {
    const el = (e.target as HTMLElement | null)?.closest<HTMLElement>('[data-index]');
    if (!el || el.hidden) return;
    const index = Number(el.dataset.index);
    const row = this.rows[index];
    if (!row) return;
    this.select(index, false);
    const onTwistie = (e.target as HTMLElement).classList.contains('twistie');
    if (onTwistie) this.toggle(index);
    else this.open(index);
  }

  /** The rows now on screen (key and section), and how far the first one is scrolled past. */
  private captureAnchor(): Anchor | null {
    const top = this.root.scrollTop;
    if (top <= 0 || this.rows.length === 0) return null;
    const first = Math.floor(top / ROW_HEIGHT);
    const count = Math.ceil(this.root.clientHeight / ROW_HEIGHT);
    const rows = this.rows.slice(first, first + count).map((r) => ({ key: r.key, section: sectionOf(r) }));
    return { rows, offset: top - first * ROW_HEIGHT };
  }

  /**
   * Scrolls so that the first anchored row still in its section sits where it was (no jump under the
   * reader). A row whose task changed state moved elsewhere: following it would be the jump.
   */
  private restoreAnchor(anchor: Anchor, found: Array<number | undefined>): void {
    for (let k = 0; k < anchor.rows.length; k++) {
      const index = found[k];
      if (index === undefined || sectionOf(this.rows[index]) !== anchor.rows[k].section) continue;
      const target = (index - k) * ROW_HEIGHT + anchor.offset;
      if (Math.abs(this.root.scrollTop - target) >= 1) this.root.scrollTop = Math.max(0, target);
      return;
    }
  }
}

interface Anchor {
  rows: Array<{ key: string; section: string }>;
  offset: number;
}

function setMember<T>(set: Set<T>, value: T, present: boolean): void {
  if (present) set.add(value);
  else set.delete(value);
}
