/** What the tree shows, read from the page as a user (or screen reader) would: shared by the browser tests. */
import type { Harness } from './harness';

export interface RowInfo {
  id: string | null;
  state: string | null;
  level: string | null;
  text: string;
  name: string;
  site: string;
  rel: string;
  section: string | null;
  /** The right-hand number: a duration, or a section's / site's count. */
  dur: string;
  siteKey: string | null;
  top: number;
}

/** The rendered rows, top to bottom, as a user (or screen reader) would read them. */
export async function rows(h: Harness): Promise<RowInfo[]> {
  const list = await h.page.$$eval('[data-testid="task-tree"] [role="treeitem"]:not([hidden])', (els) =>
    els.map((el) => ({
      id: el.getAttribute('data-task-id'),
      state: el.getAttribute('data-state'),
      level: el.getAttribute('aria-level'),
      text: (el.textContent ?? '').trim(),
      name: el.querySelector('.name')?.textContent ?? '',
      site: el.querySelector('.site')?.textContent ?? '',
      rel: el.querySelector('.rel')?.textContent ?? '',
      section: el.getAttribute('data-section'),
      dur: el.querySelector('.dur')?.textContent ?? '',
      siteKey: el.getAttribute('data-site-key'),
      top: el.getBoundingClientRect().top,
    })));
  return list.sort((a, b) => a.top - b.top);
}

export async function chip(h: Harness, id: string): Promise<string> {
  return h.page.$eval(`[data-testid="${id}"]`, (el) => el.getAttribute('data-value') ?? '');
}

/** Types a search and applies it at once (Enter skips the typing debounce), then waits for the redraw. */
export async function search(h: Harness, text: string): Promise<void> {
  await h.page.fill('[data-testid="task-filter"]', text);
  await h.page.press('[data-testid="task-filter"]', 'Enter');
  await h.settle();
}

export async function groupBy(h: Harness, group: 'state' | 'creator' | 'site'): Promise<void> {
  await h.page.selectOption('[data-testid="group-by"]', group);
  await h.settle();
}
