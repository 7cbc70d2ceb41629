/**
 * The extension-host suite's results as JSON lines, appended by test/exthost/run.ts inside the extension
 * host while the tests run (so a run cut short still says which test was running) and read by the
 * code-server runner, which reports each test by name. vscode-free.
 */
import { existsSync, readFileSync } from 'node:fs';

/** The extension host inherits code-server's environment: this variable names the results file. */
export const RESULTS_ENV = 'ASYNC_INSPECTOR_EXTHOST_RESULTS';

export type ResultLine =
  | { event: 'start'; title: string }
  | { event: 'pass'; title: string; ms: number }
  | { event: 'fail'; title: string; error: string }
  | { event: 'pending'; title: string }
  | { event: 'end'; total: number; passes: number; failures: number; pending: number };

export function readResults(file: string): ResultLine[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as ResultLine);
}

/** The test that started and has not finished (a hung one, when the run was cut short). */
export function unfinished(results: readonly ResultLine[]): string | undefined {
  const open = new Set<string>();
  for (const r of results) {
    if (r.event === 'start') open.add(r.title);
    else if (r.event !== 'end') open.delete(r.title);
  }
  return [...open].pop();
}
