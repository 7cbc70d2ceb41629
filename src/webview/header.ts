/**
 * The view's header: session status and command, then one fixed chip per count (states, retired,
 * dropped, flags). Every chip always exists and numbers use tabular figures, so updates never shift it.
 */
import { baseName, displayText, formatCount, MAX_TOOLTIP_TEXT } from './format';
import { SECTION_ORDER, SECTION_TITLES } from './rowTypes';
import { setText } from './rowCells';
import { STATE_ICONS } from './rowViewGroups';
import type { Shown } from './shown';
import type { SessionStore } from '../shared/store';
import type { PausedView } from '../shared/messages';
import { el } from './dom';

interface Chip {
  el: HTMLElement;
  value: HTMLElement;
  title: string;
  /** A noun label that follows the count ("1 flag", "2 flags"). */
  plural?: { el: HTMLElement; one: string; many: string };
}

export class HeaderView {
  private readonly status: HTMLElement;
  private readonly statusIcon: HTMLElement;
  private readonly statusText: HTMLElement;
  private readonly command: HTMLElement;
  private readonly chips = new Map<string, Chip>();

  /** `onState` runs when a state's count is clicked (to filter by that state). */
  constructor(parent: HTMLElement, onState: (state: string) => void) {
    const header = el('header', 'header', parent);
    header.dataset.testid = 'session-header';
    this.status = el('div', 'status', header);
    this.status.dataset.testid = 'session-status';
    this.status.setAttribute('role', 'status');
    this.statusIcon = el('span', 'codicon', this.status);
    this.statusText = el('span', 'status-text', this.status);
    this.command = el('span', 'command', this.status);
    this.command.dataset.testid = 'session-command';
    const counts = el('div', 'counts states', header);
    for (const state of SECTION_ORDER) {
      this.addChip(counts, `count-${state}`, STATE_ICONS[state], SECTION_TITLES[state], `state-${state}`);
      const chip = this.chips.get(`count-${state}`)!.el;
      chip.classList.add('clickable');
      chip.setAttribute('role', 'button');
      chip.tabIndex = 0;
      chip.title = `${SECTION_TITLES[state]}: click to show only these`;
      chip.addEventListener('click', () => onState(state));
      chip.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onState(state);
        }
      });
    }
    const meta = el('div', 'counts', header);
    this.addChip(meta, 'count-retired', 'archive', 'Finished tasks retired from memory (still counted)', 'meta', 'retired');
    this.addChip(meta, 'count-dropped', 'warning', 'Events the agent had to drop', 'meta', 'dropped');
    this.addChip(meta, 'count-flags', 'report', 'Flags raised', 'meta', 'flags', 'flag');
  }

  /** Chips count the whole session, or the moment the view is rewound to. */
  update(store: SessionStore, shown: Shown): void {
    this.status.dataset.status = store.status;
    this.status.dataset.paused = String(store.paused !== null && store.status === 'running');
    const [icon, text] = statusLine(store);
    this.statusIcon.className = `codicon codicon-${icon}`;
    setText(this.statusText, text);
    const command = store.session?.command ?? [];
    // Paths shortened to their file names in the header; the tooltip has the full command.
    setText(this.command, displayText(command.map(baseName).join(' '), 200));
    this.command.title = displayText(command.join(' '), MAX_TOOLTIP_TEXT);
    for (const state of SECTION_ORDER) this.setChip(`count-${state}`, shown.headerCounts[state]);
    this.setChip('count-retired', store.retired);
    this.setChip('count-dropped', store.dropped);
    this.setChip('count-flags', shown.headerFlags);
  }

  /** `singular` is the label when the count is 1 ("1 flag"). */
  private addChip(
    parent: HTMLElement, testid: string, icon: string, title: string, cls: string, label?: string, singular?: string,
  ): void {
    const chip = el('span', `chip ${cls}`, parent);
    chip.dataset.testid = testid;
    chip.title = title;
    el('span', `codicon codicon-${icon}`, chip).setAttribute('aria-hidden', 'true');
    const value = el('span', 'value', chip);
    const labelEl = label ? el('span', 'label', chip) : undefined;
    if (labelEl) labelEl.textContent = label!;
    const plural = label && singular ? { el: labelEl!, one: singular, many: label } : undefined;
    this.chips.set(testid, { el: chip, value, title, plural });
  }

  private setChip(testid: string, n: number): void {
    const chip = this.chips.get(testid)!;
    setText(chip.value, formatCount(n));
    chip.el.dataset.value = String(n);
    chip.el.setAttribute('aria-label', `${chip.title}: ${formatCount(n)}`);
    chip.el.classList.toggle('zero', n === 0);
    if (chip.plural) setText(chip.plural.el, n === 1 ? chip.plural.one : chip.plural.many);
  }
}

function statusLine(store: SessionStore): [icon: string, text: string] {
  switch (store.status) {
    case 'idle':
      return store.uninspected === null ? ['circle-large-outline', 'No session'] : ['circle-slash', 'Not inspected'];
    case 'running': {
      if (store.paused) return ['debug-pause', pausedLine(store.paused)];
      const pid = store.session?.pid !== undefined ? ` (pid ${store.session.pid})` : '';
      return ['debug-start', store.session?.attached ? `Attached${pid}` : `Running${pid}`];
    }
    case 'ended': {
      const exit = store.exit;
      // An attach ends by detaching: the program goes on (no exit code of its own to show).
      if (store.session?.attached && exit?.exitCode == null && !exit?.signal) return ['debug-disconnect', 'Detached: the program keeps running'];
      const how = exit?.signal ? `killed by ${displayText(exit.signal, 40)}` : `exit code ${exit?.exitCode ?? '?'}`;
      return [exit?.exitCode === 0 ? 'pass' : 'debug-stop', `Ended, ${how}`];
    }
    default: {
      const never: never = store.status;
      return ['circle-large-outline', String(never)];
    }
  }
}

function pausedLine(p: PausedView): string {
  if (p.file === undefined) return 'Paused';
  return `Paused at ${displayText(baseName(p.file), 80)}${p.line === undefined ? '' : `:${p.line}`}`;
}
