/**
 * What the e2e test checks as a user would see it, shared by the Node and Python workspaces: a row
 * click landing in the editor at the right line, a flag in the Problems panel leading to its line.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { clickProblem, readProblems, showProblems } from './problems';
import { clickRow, rowsNamed, type PanelRow } from './taskTree';
import type { Workbench } from './workbench';

/** 1-based number of the first line of `file` containing `text` (fixtures are found by content, not line numbers). */
export function lineOf(file: string, text: string): number {
  const index = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text));
  assert.ok(index >= 0, `${text} not in ${file}`);
  return index + 1;
}

/** At least `atLeast` rows named `name` are in `state`. */
export const has = (rows: PanelRow[], name: string, state: string, atLeast = 1): boolean =>
  rowsNamed(rows, name).filter((r) => r.state === state).length >= atLeast;

async function assertEditorAt(wb: Workbench, what: string, file: string, line: number): Promise<void> {
  const name = basename(file);
  await wb.until(`${what} to open ${name}:${line}`, async () => {
    const e = await wb.activeEditor();
    return e?.file === name && e.line === line ? e : undefined;
  }, 10_000).catch(async (e: Error) => {
    throw new Error(`${e.message}; active editor: ${JSON.stringify(await wb.activeEditor())}`);
  });
}

/** Clicks the row and waits for the editor to show `file` with the cursor on `line`. */
export async function assertRowOpens(wb: Workbench, row: PanelRow, file: string, line: number): Promise<void> {
  await clickRow(wb, row.id);
  await assertEditorAt(wb, `${row.name}'s row`, file, line);
}

/**
 * The blocking call the fixture makes in the function starting at `firstText` shows in the Problems
 * panel (flags stay there after the session), and clicking it opens the editor at its line.
 */
export async function assertBlockingProblem(wb: Workbench, file: string, firstText: string, lastText: string): Promise<void> {
  const first = lineOf(file, firstText);
  const last = lineOf(file, lastText);
  await showProblems(wb);
  let seen: string[] = [];
  const problem = await wb.until(`a blocking-call problem in lines ${first}-${last}`, async () => {
    const problems = await readProblems(wb);
    seen = problems.map((p) => p.label);
    return problems.find((p) => /block/i.test(p.label) && p.line >= first && p.line <= last);
  }, 10_000).catch((e: Error) => {
    throw new Error(`${e.message}; problems seen:\n  ${seen.join('\n  ') || '(none)'}`);
  });
  assert.match(problem.label, /Async Inspector/, 'the problem says where it comes from');
  await clickProblem(wb, problem);
  await assertEditorAt(wb, 'the problem', file, problem.line);
}
