/**
 * Screenshots of the workbench: every one to test-results/e2e-<name>.png, the README's also to docs/
 * when E2E_SCREENSHOTS=docs, and one of whatever the page showed when a test failed.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Workbench } from './workbench';

const root = join(__dirname, '..', '..', '..');
const resultsDir = join(root, 'test-results');

export function removeOldScreenshots(): void {
  if (!existsSync(resultsDir)) return;
  for (const f of readdirSync(resultsDir)) if (/^e2e-.*\.png$/.test(f)) rmSync(join(resultsDir, f));
}

export async function screenshot(wb: Workbench, name: string, docsName?: string): Promise<void> {
  await wb.screenshot(join(resultsDir, `e2e-${name}.png`));
  if (docsName && process.env.E2E_SCREENSHOTS === 'docs') await wb.screenshot(join(root, 'docs', docsName));
}

/** Runs a test body; on failure saves what the page showed, to see why. */
export async function showingFailure(wb: Workbench | undefined, name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (e) {
    if (wb) await screenshot(wb, `${name}-FAILED`).catch(() => undefined);
    throw e;
  }
}
