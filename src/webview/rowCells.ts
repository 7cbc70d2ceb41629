/**
 * The parts of one row element (twistie, icon, name, site, relation, duration), made once and refilled by
 * the fillers of each row kind (rowViewItems.ts, rowViewGroups.ts). Program strings reach them through
 * displayText() and are set with textContent only.
 */
import type { ProcessIndex } from '../shared/processes';
import type { SiteOf } from '../shared/store';
import { el } from './dom';

export const INDENT_PX = 12;
/** Deeper nesting is still announced (aria-level) but no longer indented further. */
const MAX_VISUAL_DEPTH = 24;

/** What a row needs besides its own data. */
export interface RowContext {
  now: number;
  nameOf(id: string): string | undefined;
  /** The site table's lookup: a task holds SiteIds. */
  site: SiteOf;
  selectedKey: string | null;
  /** A debugger holds the program: the paused task is marked, pending tasks show their await line. */
  paused: { task: string | null } | null;
  /** The program's processes: a flag names its process when there are several. */
  processes: ProcessIndex;
}

export class RowCells {
  readonly el: HTMLElement;
  readonly twistie: HTMLElement;
  readonly icon: HTMLElement;
  readonly name: HTMLElement;
  readonly site: HTMLElement;
  readonly rel: HTMLElement;
  readonly dur: HTMLElement;
  private iconClass = '';

  constructor(parent: HTMLElement, domId: string) {
    const row = (this.el = document.createElement('div'));
    row.id = domId;
    row.setAttribute('role', 'treeitem');
    this.twistie = el('span', 'twistie codicon', row);
    this.icon = el('span', 'icon codicon', row);
    this.name = el('span', 'name', row);
    this.site = el('span', 'site', row);
    this.rel = el('span', 'rel', row);
    this.dur = el('span', 'dur', row);
    parent.appendChild(row);
  }

  /** Removes data attributes that belong to other row kinds (the element is reused). */
  forget(...keys: string[]): void {
    for (const k of keys) delete this.el.dataset[k];
  }

  setTwistie(visible: boolean, expanded: boolean): void {
    const cls = !visible ? 'twistie codicon' : `twistie codicon codicon-${expanded ? 'chevron-down' : 'chevron-right'}`;
    if (this.twistie.className !== cls) this.twistie.className = cls;
  }

  setIcon(name: string): void {
    if (this.iconClass === name) return;
    this.iconClass = name;
    this.icon.className = `icon codicon codicon-${name}`;
  }
}

export function indentOf(depth: number): number {
  return Math.min(depth, MAX_VISUAL_DEPTH) * INDENT_PX;
}

/** Assigns text only when it changed (keeps layout work proportional to what moved). */
export function setText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}
