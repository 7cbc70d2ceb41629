/**
 * Keeps the rows under the reader's eyes where they were when the tree's rows are rebuilt: the rows on screen
 * are noted before (key and section), and the first one still in its section is scrolled back to its place.
 */
import { ROW_HEIGHT } from './rowView';
import { sectionOf, type Row } from './rowTypes';

export interface Anchor {
  rows: Array<{ key: string; section: string }>;
  /** How far the first of them was scrolled past the top. */
  offset: number;
}

/** The rows now on screen in `scroller`, or null at the very top (nothing to keep: new rows may come in above). */
export function captureAnchor(scroller: HTMLElement, rows: readonly Row[]): Anchor | null {
  const top = scroller.scrollTop;
  if (top <= 0 || rows.length === 0) return null;
  const first = Math.floor(top / ROW_HEIGHT);
  const count = Math.ceil(scroller.clientHeight / ROW_HEIGHT);
  const shown = rows.slice(first, first + count).map((r) => ({ key: r.key, section: sectionOf(r) }));
  return { rows: shown, offset: top - first * ROW_HEIGHT };
}

/**
 * Scrolls so that the first anchored row still in its section sits where it was (no jump under the reader);
 * `found[k]` is the new index of the anchor's k-th row. A row whose task changed state moved elsewhere:
 * following it would be the jump.
 */
export function restoreAnchor(scroller: HTMLElement, rows: readonly Row[], anchor: Anchor, found: Array<number | undefined>): void {
  for (let k = 0; k < anchor.rows.length; k++) {
    const index = found[k];
    if (index === undefined || sectionOf(rows[index]) !== anchor.rows[k].section) continue;
    const target = (index - k) * ROW_HEIGHT + anchor.offset;
    if (Math.abs(scroller.scrollTop - target) >= 1) scroller.scrollTop = Math.max(0, target);
    return;
  }
}
