/**
 * One pooled row element of the tree, created once and refilled as the virtual window scrolls: what every
 * row has (position, key, selection, place among its siblings), then what its kind shows.
 */
import type { Row } from './rowTypes';
import { RowCells, type RowContext } from './rowCells';
import { fillLoopRow, fillProcessRow, fillSectionRow, fillSiteRow } from './rowViewGroups';
import { fillFlagRow, fillTaskRow } from './rowViewItems';

export const ROW_HEIGHT = 22;

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
