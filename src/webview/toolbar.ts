/**
 * The toolbar above the tasks: the search box (see query.ts for its words), the grouping (state, creating
 * task, creation site), the switch between the tree and the timeline, and a line saying how many tasks
 * match while a search is active. Typing is debounced so 100k tasks are filtered once per pause.
 */
import { formatCount } from './format';
import { GROUPINGS, type GroupBy } from './rowTypes';
import type { Shown } from './shown';
import { el } from './dom';

export type Pane = 'tree' | 'timeline';

export interface ToolbarCallbacks {
  queryChanged(text: string): void;
  groupChanged(group: GroupBy): void;
  paneChanged(pane: Pane): void;
  focusResults(): void;
}

const GROUP_TITLES: Record<GroupBy, string> = { state: 'By state', creator: 'By creator', site: 'By site' };
const DEBOUNCE_MS = 120;

export class Toolbar {
  readonly search: HTMLInputElement;
  private readonly group: HTMLSelectElement;
  private readonly tabs = new Map<Pane, HTMLButtonElement>();
  private readonly summary: HTMLElement;
  private readonly summaryText: HTMLElement;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(parent: HTMLElement, private readonly callbacks: ToolbarCallbacks) {
    const bar = el('div', 'toolbar', parent);
    bar.dataset.testid = 'toolbar';
    const box = el('div', 'search', bar);
    el('span', 'codicon codicon-search', box).setAttribute('aria-hidden', 'true');
    this.search = el('input', 'search-input', box) as HTMLInputElement;
    this.search.type = 'search';
    this.search.placeholder = 'Filter (name, file:line, state:, flag:…)';
    this.search.title = 'Filter: words match names and sites; name:, site:, state:, kind:, flag: narrow; -word excludes';
    this.search.setAttribute('aria-label', 'Filter tasks (words: name:, site:, state:, kind:, flag:, - to exclude)');
    this.search.dataset.testid = 'task-filter';
    this.search.spellcheck = false;
    this.search.addEventListener('input', () => this.queueQuery());
    this.search.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && this.search.value) {
        e.stopPropagation();
        this.setQuery('');
      } else if (e.key === 'Enter') {
        this.flushQuery();
      } else if (e.key === 'ArrowDown') {
        // Down from the search box moves into the results.
        e.preventDefault();
        this.flushQuery();
        this.callbacks.focusResults();
      }
    });

    // The grouping and the switch wrap together (below the search box in a narrow view).
    const end = el('div', 'toolbar-end', bar);
    this.group = el('select', 'group-by', end) as HTMLSelectElement;
    this.group.dataset.testid = 'group-by';
    this.group.setAttribute('aria-label', 'Group tasks');
    this.group.title = 'Group tasks: by state, by the task that created them, or by creation site';
    for (const g of GROUPINGS) {
      const option = el('option', '', this.group) as HTMLOptionElement;
      option.value = g;
      option.textContent = GROUP_TITLES[g];
    }
    this.group.addEventListener('change', () => this.callbacks.groupChanged(this.group.value as GroupBy));

    const tabs = el('div', 'pane-tabs', end);
    tabs.setAttribute('role', 'tablist');
    tabs.setAttribute('aria-label', 'Show');
    this.addTab(tabs, 'tree', 'list-tree', 'Task tree');
    this.addTab(tabs, 'timeline', 'graph-left', 'Timeline');

    this.summary = el('div', 'filter-summary', parent);
    this.summary.dataset.testid = 'filter-summary';
    this.summary.hidden = true;
    this.summaryText = el('span', 'filter-count', this.summary);
    // A real button, apart from the sentence: it reads as an action, not as part of the count.
    const clear = el('button', 'filter-clear', this.summary) as HTMLButtonElement;
    clear.type = 'button';
    clear.dataset.testid = 'filter-clear';
    clear.title = 'Clear the filter (Escape in the filter box)';
    el('span', 'codicon codicon-clear-all', clear).setAttribute('aria-hidden', 'true');
    el('span', '', clear).textContent = 'Clear filter';
    clear.addEventListener('click', () => {
      this.setQuery('');
      this.search.focus();
    });
  }

  /** Sets the search text (e.g. from a clicked state count) and applies it at once. */
  setQuery(text: string): void {
    this.search.value = text;
    this.flushQuery();
  }

  setGroup(group: GroupBy): void {
    this.group.value = group;
  }

  setPane(pane: Pane): void {
    for (const [p, tab] of this.tabs) {
      tab.setAttribute('aria-selected', String(p === pane));
      tab.tabIndex = p === pane ? 0 : -1;
    }
  }

  update(shown: Shown): void {
    this.summary.hidden = !shown.filtered;
    if (shown.filtered) {
      const flags = shown.flags.length;
      const text = `${formatCount(shown.matching)} of ${formatCount(shown.held)} ${shown.held === 1 ? 'task' : 'tasks'} match` +
        ` · ${formatCount(flags)} ${flags === 1 ? 'flag' : 'flags'}`;
      if (this.summaryText.textContent !== text) this.summaryText.textContent = text;
    }
  }

  private addTab(parent: HTMLElement, pane: Pane, icon: string, label: string): void {
    const tab = el('button', 'pane-tab', parent) as HTMLButtonElement;
    tab.type = 'button';
    tab.setAttribute('role', 'tab');
    tab.title = label;
    tab.setAttribute('aria-label', label);
    tab.dataset.testid = `pane-${pane}`;
    el('span', `codicon codicon-${icon}`, tab).setAttribute('aria-hidden', 'true');
    tab.addEventListener('click', () => this.callbacks.paneChanged(pane));
    this.tabs.set(pane, tab);
  }

  private queueQuery(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flushQuery(), DEBOUNCE_MS);
  }

  private flushQuery(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.callbacks.queryChanged(this.search.value);
  }
}
