/**
 * The tree's row elements: a pool as large as the visible window (plus some rows either side), each created
 * once and refilled as the window scrolls: what every row has (position, key, selection, place among its
 * siblings), then what its kind shows.
 */
import type { Row } from './rowTypes';
import { RowCells, type RowContext } from './rowCells';
import { fillLoopRow, fillProcessRow, fillSectionRow, fillSiteRow } from './rowViewGroups';
import { fillFlagRow, fillTaskRow } from './rowViewItems';

export const ROW_HEIGHT = 22;
/** Rows rendered above and below the visible window (smooth scrolling without blank flashes). */
const OVERSCAN = 8;

/** The row elements over a scroller's visible window. */
export class RowPool {
  private readonly views: RowView[] = [];

  constructor(private readonly canvas: HTMLElement) {}

  /**
   * Draws the rows in view (`top`, `height`: the scroller's scroll offset and height); returns the DOM id of the
   * selected row's element when it is drawn.
   */
  render(rows: readonly Row[], top: number, height: number, ctx: RowContext): string | null {
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(rows.length, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN);
    const needed = Math.ceil(height / ROW_HEIGHT) + 2 * OVERSCAN + 1;
    const pool = this.views;
    while (pool.length < needed) pool.push(new RowView(this.canvas, `row-${pool.length}`));
    // Row i always lands in pool slot i % size: a row keeps its element while it stays in view, so
    // refilling it with unchanged data writes nothing to the DOM.
    const used = new Set<RowView>();
    let active: string | null = null;
    for (let i = first; i < last; i++) {
      const view = pool[i % pool.length];
      view.fill(rows[i], i, ctx);
      used.add(view);
      if (rows[i].key === ctx.selectedKey) active = view.domId;
    }
    for (const view of pool) if (!used.has(view)) view.hide();
    return active;
  }
}

/** One row element, refilled with whichever row lands in its slot. */

export class RowView {
  private readonly cells: RowCells;

  constructor(parent: HTMLElement, readonly domId: string) {
    this.cells = new RowCells(parent, domId);
  }

  get element(): HTMLElement {
    return this.cells.el;
  }

  /** Takes the element out of view, and out of every query for rows (no stale ids or states linger). */
  hide(): void {
    const c = this.cells;
    if (c.el.hidden) return;
    c.el.hidden = true;
    c.forget('key', 'index', 'testid', 'taskId', 'state', 'section', 'flagId', 'flagKind', 'siteKey', 'paused', 'pid', 'exited', 'exitCode');
    c.el.removeAttribute('aria-selected');
  }

  fill(row: Row, index: number, ctx: RowContext): void {
    const c = this.cells;
    const { el } = c;
    el.hidden = false;
    el.style.transform = `translateY(${index * ROW_HEIGHT}px)`;
    el.dataset.index = String(index);
    el.dataset.key = row.key;
    el.setAttribute('aria-selected', String(row.key === ctx.selectedKey));
    el.setAttribute('aria-posinset', String(row.pos));
    el.setAttribute('aria-setsize', String(row.size));
    switch (row.kind) {
      case 'section':
        return fillSectionRow(c, row);
      case 'task':
        return fillTaskRow(c, row, ctx);
      case 'flag':
        return fillFlagRow(c, row, ctx);
      case 'site':
        return fillSiteRow(c, row);
      case 'process':
        return fillProcessRow(c, row, ctx);
      case 'loop':
        return fillLoopRow(c, row);
      default: {
        const never: never = row;
        return never;
      }
    }
  }
}
