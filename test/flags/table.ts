/** The precision/recall table over the flag fixtures: one row per runtime and kind, plus a total per runtime. */
import type { Runtime } from '../../src/protocol/events';
import type { FixtureResult } from './score';

export interface Row {
  runtime: Runtime;
  kind: string;
  fixtures: number;
  tp: number;
  fp: number;
  fn: number;
}

const TOTAL = 'all kinds';
/** Fixtures that must stay quiet (no `expect:`): their false positives are also counted under their kind. */
const QUIET = '(no flags expected)';

export function tally(results: readonly FixtureResult[]): Row[] {
  const rows = new Map<string, Row>();
  const row = (runtime: Runtime, kind: string): Row => {
    const key = `${runtime} ${kind}`;
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { runtime, kind, fixtures: 0, tp: 0, fp: 0, fn: 0 }));
    return r;
  };
  for (const res of results) {
    const { runtime } = res.fixture;
    const kinds = new Set([...res.fixture.expected, ...res.falsePositives].map((f) => f.kind));
    for (const kind of kinds) row(runtime, kind).fixtures++;
    for (const f of res.truePositives) row(runtime, f.kind).tp++;
    for (const f of res.falsePositives) row(runtime, f.kind).fp++;
    for (const f of res.falseNegatives) row(runtime, f.kind).fn++;
    if (res.fixture.expected.length === 0) {
      const quiet = row(runtime, QUIET);
      quiet.fixtures++;
      quiet.fp += res.falsePositives.length;
    }
    const total = row(runtime, TOTAL);
    total.fixtures++;
    total.tp += res.truePositives.length;
    total.fp += res.falsePositives.length;
    total.fn += res.falseNegatives.length;
  }
  // In each runtime: the kinds by name, then the quiet fixtures, then the total.
  const rank = (r: Row) => (r.kind === TOTAL ? 2 : r.kind === QUIET ? 1 : 0);
  return [...rows.values()].sort((a, b) =>
    a.runtime.localeCompare(b.runtime) || rank(a) - rank(b) || a.kind.localeCompare(b.kind));
}

const ratio = (n: number, d: number) => (d === 0 ? '—' : `${((100 * n) / d).toFixed(n === d ? 0 : 1)}%`);
export const precision = (r: Row) => ratio(r.tp, r.tp + r.fp);
export const recall = (r: Row) => ratio(r.tp, r.tp + r.fn);

const HEADER = ['runtime', 'kind', 'fixtures', 'TP', 'FP', 'FN', 'precision', 'recall'];
const cells = (r: Row) => [r.runtime, r.kind, `${r.fixtures}`, `${r.tp}`, `${r.fp}`, `${r.fn}`, precision(r), recall(r)];

export function formatText(rows: readonly Row[]): string {
  const all = [HEADER, ...rows.map(cells)];
  const widths = HEADER.map((_, i) => Math.max(...all.map((c) => c[i].length)));
  return all.map((c) => c.map((s, i) => (i < 2 ? s.padEnd(widths[i]) : s.padStart(widths[i]))).join('  ')).join('\n');
}

export function formatMarkdown(rows: readonly Row[]): string {
  const line = (c: string[]) => `| ${c.join(' | ')} |`;
  const bold = (r: Row) => (r.kind === TOTAL ? cells(r).map((s) => `**${s}**`) : cells(r));
  return [line(HEADER), line(HEADER.map((_, i) => (i < 2 ? '---' : '---:'))), ...rows.map((r) => line(bold(r)))].join('\n');
}
