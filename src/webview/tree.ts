/**
 * The virtualized task tree: a scroll container (role=tree) whose height stands for every row, and a
 * small pool of row elements positioned over the visible window. 100,000 tasks cost 100,000 array
 * entries, never 100,000 DOM nodes. Updates keep the rows under the user's eyes where they were, and the
 * row under the pointer exactly where it is (a click aimed at it must not land on a row that slid in).
 */
import type { FlagView, TaskView } from '../model/types';
import { ProcessIndex } from '../shared/processes';
import { buildRows } from './rows';
import type { Expansion, GroupBy, Row } from './rowTypes';
import { PointerHold } from './pointerHold';
import type { RowContext } from './rowCells';
import { ROW_HEIGHT, RowPool } from './rowView';
import type { ShownState } from './shown';
import { StickySection } from './stickySection';
import { captureAnchor, restoreAnchor } from './scrollAnchor';
import { emptyExpansion, setFold, unfoldTo } from './treeFolding';
import type { SessionStore } from '../shared/store';

const TREE_LABELS: Record<GroupBy, string> = {
  state: 'Tasks by state', creator: 'Tasks by creating task', site: 'Tasks by creation site',
};

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
  readonly expansion: Expansion = emptyExpansion();
  private readonly canvas: HTMLElement;
  private readonly pool: RowPool;
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
    this.pool = new RowPool(this.canvas);
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
    const anchor = captureAnchor(this.root, this.rows);
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
      if (anchor) restoreAnchor(this.root, this.rows, anchor, found);
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
    unfoldTo(this.expansion, task, shown.group, shown.tasks, this.processes, this.store.site);
    this.update();
    const index = this.rows.findIndex((r) => r.kind === 'task' && r.task.id === id);
    if (index >= 0) this.select(index);
  }

  /** Folds or unfolds a section or a task with children. */
  toggle(index: number, expand?: boolean): void {
    if (!setFold(this.expansion, this.rows[index], expand)) return;
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
    const top = this.root.scrollTop;
    const ctx: RowContext = {
      now: this.callbacks.now(),
      nameOf: (id) => this.store.tasks.get(id)?.name,
      site: this.store.site,
      selectedKey: this.selectedKey,
      paused: this.store.paused,
      processes: this.processes,
    };
    const active = this.pool.render(this.rows, top, this.root.clientHeight, ctx);
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
}
