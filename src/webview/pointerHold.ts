/**
 * Keeps the tree row under the pointer where it is while live updates insert or remove rows above it, as
 * VS Code's own trees do: a click aimed at a row must not land on one that slid in. When the rows below
 * are too few to scroll that far, blank space under them makes room until the pointer leaves.
 */
import type { Row } from './rowTypes';
import { ROW_HEIGHT } from './rowView';

export class PointerHold {
  /** The pointer's height over the tree's viewport while it hovers the tree; null otherwise. */
  private pointerY: number | null = null;
  /** Blank space below the rows so the hovered row could stay put; dropped when the pointer leaves. */
  private slack = 0;
  private rowCount = 0;

  /** `root` scrolls, `canvas` is as tall as the rows; `redraw` runs when the blank space goes away. */
  constructor(private readonly root: HTMLElement, private readonly canvas: HTMLElement, redraw: () => void) {
    root.addEventListener('pointermove', (e) => {
      this.pointerY = e.clientY - root.getBoundingClientRect().top;
    }, { passive: true });
    root.addEventListener('pointerleave', () => {
      this.pointerY = null;
      if (this.slack === 0) return;
      this.slack = 0;
      this.size(this.rowCount);
      redraw();
    });
  }

  /** The row under the pointer and its top in the viewport, while the pointer hovers the rows. */
  hovered(rows: readonly Row[]): { key: string; y: number } | null {
    if (this.pointerY === null) return null;
    const index = Math.floor((this.root.scrollTop + this.pointerY) / ROW_HEIGHT);
    const row = rows[index];
    return row ? { key: row.key, y: index * ROW_HEIGHT - this.root.scrollTop } : null;
  }

  /** Scrolls so that row `index` (of `count`) has its top at `y` in the viewport again. */
  keep(index: number, y: number, count: number): void {
    const target = Math.max(0, index * ROW_HEIGHT - y);
    this.slack = Math.max(this.slack, target + this.root.clientHeight - count * ROW_HEIGHT, 0);
    this.size(count);
    if (this.root.scrollTop !== target) this.root.scrollTop = target;
  }

  /** Sizes the canvas for `count` rows (plus the blank space the pointer needs, while it hovers). */
  size(count: number): void {
    this.rowCount = count;
    this.canvas.style.height = `${count * ROW_HEIGHT + this.slack}px`;
  }
}
