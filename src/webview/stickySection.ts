/**
 * A copy of the current section's header pinned to the top of the tree while its rows scroll by, so
 * that deep in 100,000 rows the reader still knows which state they are looking at. Clicking it scrolls
 * back to the real header. Decorative for assistive technology (the rows carry their own state).
 */
import { formatCount } from './format';
import { SECTION_TITLES, type Row, type SectionRow } from './rowTypes';
import { setText } from './rowCells';
import { ROW_HEIGHT } from './rowView';
import { STATE_ICONS } from './rowViewGroups';

export class StickySection {
  private readonly el: HTMLElement;
  private readonly icon: HTMLElement;
  private readonly title: HTMLElement;
  private readonly count: HTMLElement;
  private sectionIndex = -1;

  constructor(scroller: HTMLElement, onClick: (sectionIndex: number) => void) {
    this.el = document.createElement('div');
    this.el.className = 'row section sticky';
    this.el.dataset.testid = 'sticky-section';
    this.el.setAttribute('aria-hidden', 'true');
    this.el.hidden = true;
    const twistie = document.createElement('span');
    twistie.className = 'twistie codicon codicon-chevron-down';
    this.icon = document.createElement('span');
    this.title = document.createElement('span');
    this.title.className = 'name';
    this.count = document.createElement('span');
    this.count.className = 'dur';
    this.el.append(twistie, this.icon, this.title, this.count);
    this.el.addEventListener('click', (e) => {
      e.stopPropagation();
      if (this.sectionIndex >= 0) onClick(this.sectionIndex);
    });
    scroller.prepend(this.el);
  }

  /** Shows the section of the row at the top of the viewport, unless that row is its own header. */
  update(rows: readonly Row[], scrollTop: number): void {
    const top = Math.floor(scrollTop / ROW_HEIGHT);
    const section = sectionAbove(rows, top);
    const atOwnHeader = section !== undefined && section.index === top && scrollTop % ROW_HEIGHT === 0;
    if (!section || atOwnHeader) {
      this.el.hidden = true;
      this.sectionIndex = -1;
      return;
    }
    const { row, index } = section;
    this.sectionIndex = index;
    this.el.hidden = false;
    this.el.className = `row section sticky state-${row.state}`;
    this.el.dataset.stickySection = row.state;
    this.icon.className = `icon codicon codicon-${STATE_ICONS[row.state]}`;
    setText(this.title, SECTION_TITLES[row.state]);
    setText(this.count, formatCount(row.count));
  }
}

function sectionAbove(rows: readonly Row[], index: number): { row: SectionRow; index: number } | undefined {
  let i = index;
  while (i >= 0 && i < rows.length) {
    const row = rows[i];
    // A section inside a process (a process tree) is not pinned: the header would hide which process it is.
    if (row.kind === 'section') return row.parentIndex < 0 ? { row, index: i } : undefined;
    i = row.parentIndex;
  }
  return undefined;
}
