/**
 * Reads the Async Inspector panel (a webview) the way a user looks at it: its rows, each with the
 * task's name and state, and the section headers with their counts. Relies only on the webview's
 * test marks: the tree root data-testid="task-tree", rows with data-task-id / data-state.
 */
import type { Frame } from 'playwright-core';
import type { Workbench } from './workbench';

export const TASK_TREE = '[data-testid="task-tree"]';

export interface PanelRow {
  id: string;
  state: string;
  /** The task's own name (the row's name element), not the text of its relations. */
  name: string;
  text: string;
}

export async function readRows(frame: Frame): Promise<PanelRow[]> {
  return frame.$$eval(`${TASK_TREE} [data-task-id]`, (els) =>
    els.filter((el) => !(el as HTMLElement).hidden).map((el) => {
      const nameEl = el.querySelector('[data-testid="task-name"], .task-name, .name');
      const text = (el.textContent ?? '').trim();
      return {
        id: el.getAttribute('data-task-id') ?? '',
        state: el.getAttribute('data-state') ?? '',
        name: (nameEl?.textContent ?? text).trim(),
        text,
      };
    }),
  );
}

/** Rows whose name starts with `name` (async function names may be shown with arguments or a suffix). */
export function rowsNamed(rows: PanelRow[], name: string): PanelRow[] {
  return rows.filter((r) => r.name === name || r.name.startsWith(`${name}(`) || r.name.startsWith(`${name} `));
}

/** Polls the panel until `check` accepts its rows; the webview frame is looked up afresh each time. */
export async function waitForRows(
  wb: Workbench, what: string, check: (rows: PanelRow[]) => boolean, timeoutMs = 20_000,
): Promise<PanelRow[]> {
  let last: PanelRow[] = [];
  try {
    return await wb.until(what, async () => {
      const frame = await wb.findFrame(TASK_TREE, 2000);
      last = await readRows(frame);
      return check(last) ? last : undefined;
    }, timeoutMs);
  } catch (e) {
    const seen = last.map((r) => `${r.state.padEnd(9)} ${r.name} | ${r.text}`).join('\n  ');
    throw new Error(`${(e as Error).message}; rows seen:\n  ${seen || '(none)'}`);
  }
}

/**
 * Clicks a task's row like a user. Live updates can move rows between finding one and the click
 * landing (a row inserted above shifts the rest), so the click is repeated until that row is the
 * selected one.
 */
export async function clickRow(wb: Workbench, id: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const frame = await wb.findFrame(TASK_TREE);
    const row = frame.locator(`${TASK_TREE} [data-task-id="${id}"]`).first();
    await row.click();
    if ((await row.getAttribute('aria-selected')) === 'true') return;
    if (attempt === 3) throw new Error(`row ${id} not selected after ${attempt} clicks`);
  }
}

/** The panel header's session line: status ("idle" | "running" | "ended") and its text. */
export async function readSessionStatus(wb: Workbench): Promise<{ status: string; text: string }> {
  const frame = await wb.findFrame('[data-testid="session-status"]', 2000);
  return frame.$eval('[data-testid="session-status"]', (el) => ({
    status: (el as HTMLElement).dataset.status ?? '',
    text: (el.querySelector('.status-text')?.textContent ?? el.textContent ?? '').trim(),
  }));
}

/**
 * Waits for VS Code's debug session to end (its toolbar goes away), then for the panel to say the
 * program ended; returns the panel's status text and how long the panel lagged behind VS Code.
 */
export async function waitForSessionEnd(wb: Workbench, timeoutMs = 20_000): Promise<{ text: string; lagMs: number }> {
  await wb.page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: timeoutMs });
  const ended = Date.now();
  const status = await wb.until('the panel to say the program ended', async () => {
    const s = await readSessionStatus(wb);
    return s.status === 'ended' ? s : undefined;
  }, 10_000);
  return { text: status.text, lagMs: Date.now() - ended };
}
