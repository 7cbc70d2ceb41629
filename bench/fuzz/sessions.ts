/**
 * Saved-session fuzzing: a report of a fuzzed run (both runtimes), mutated (truncated, values replaced at random
 * paths, parent / await cycles, duplicate ids, deep nesting, garbage), through Open Session's steps without
 * VS Code: parseReport, the view messages into a SessionStore, the task rows in each grouping, the trace, and
 * saving again. Each file must be refused with a message or shown; nothing thrown, no step that hangs.
 * Run: npx tsx bench/fuzz/sessions.ts [files=20000] [seed=1]
 */
import { parseReport, reportToMessages, reportToTrace, storeToReport } from '../../src/extension/sessionFiles';
import { InspectorModel } from '../../src/model/model';
import { SessionStore } from '../../src/shared/store';
import { buildRows } from '../../src/webview/rows';
import { GROUPINGS } from '../../src/webview/rowTypes';
import { LineDecoder } from '../../src/protocol/framing';
import { FrameMaker, prng } from './frames';

export interface SessionFuzzFigures {
  files: number;
  refused: number;
  shown: number;
  crashes: number;
  firstCrash?: string;
  slowestMs: number;
}

/** A real report from the model: two connections (Node, Python) fed plausible frames. */
function baseReport(seed: number): string {
  const maker = new FrameMaker(prng(seed));
  const model = new InspectorModel();
  (['node', 'python'] as const).forEach((runtime, conn) => {
    model.apply(conn, maker.hello(runtime, 10 + conn));
    const decoder = new LineDecoder((msg) => model.apply(conn, msg), () => {});
    for (let i = 0; i < 400; i++) decoder.push(maker.frame(runtime, 10 + conn, 0));
  });
  model.finish({ code: 1, signal: null, durationMs: 50 });
  return JSON.stringify(model.report({ command: ['fuzz'] }));
}

const ABSURD: unknown[] = [null, -1, 1e308, '', 'x'.repeat(3000), [], {}, true, '__proto__', [[[[]]]], { parent: 'self' }, 'p1:1', NaN];

function mutate(text: string, rnd: () => number): string {
  const int = (n: number) => Math.floor(rnd() * n);
  const kind = int(6);
  if (kind === 0) return text.slice(0, int(text.length));
  if (kind === 1) return '['.repeat(int(50_000)) + ']'.repeat(int(50_000));
  const data = JSON.parse(text) as { tasks: Array<Record<string, unknown>>; [k: string]: unknown };
  const tasks = data.tasks;
  const a = tasks[int(tasks.length)];
  const b = tasks[int(tasks.length)];
  if (kind === 2 && a && b) { // cycles: parent and await loops, and a task its own parent
    a.parent = b.id;
    b.parent = a.id;
    a.awaiting = [b.id, a.id];
    b.awaiting = [a.id];
  } else if (kind === 3 && a && b) {
    b.id = a.id; // duplicate ids
  } else {
    // A value somewhere replaced: walk a random path down the report.
    let node: unknown = data;
    for (let depth = 0; depth < 4 && node && typeof node === 'object'; depth++) {
      const keys = Object.keys(node as object);
      if (keys.length === 0) break;
      const key = keys[int(keys.length)];
      if (depth === 3 || rnd() < 0.3) {
        (node as Record<string, unknown>)[key] = ABSURD[int(ABSURD.length)];
        break;
      }
      node = (node as Record<string, unknown>)[key];
    }
  }
  return JSON.stringify(data);
}

export function fuzzSessions(files: number, seed = 1): SessionFuzzFigures {
  const rnd = prng(seed);
  const base = baseReport(seed);
  const figures: SessionFuzzFigures = { files, refused: 0, shown: 0, crashes: 0, slowestMs: 0 };
  for (let i = 0; i < files; i++) {
    let text = base;
    for (let m = 1 + Math.floor(rnd() * 3); m > 0; m--) {
      try {
        text = mutate(text, rnd);
      } catch {
        break; // already not JSON: keep it as it is
      }
    }
    const t0 = performance.now();
    try {
      const parsed = parseReport(text);
      if (!parsed.ok) {
        if (!parsed.error) throw new Error('refused without a message');
        figures.refused++;
      } else {
        const store = new SessionStore();
        for (const msg of reportToMessages(parsed.report)) store.apply(msg);
        for (const group of GROUPINGS) buildRows(store.tasks, store.counts, { collapsedSections: new Set(), collapsedTasks: new Set() }, [...store.flags.values()], group, undefined, [], store.site);
        JSON.stringify(reportToTrace(parsed.report));
        storeToReport(store);
        figures.shown++;
      }
    } catch (err) {
      figures.crashes++;
      figures.firstCrash ??= err instanceof Error ? (err.stack ?? err.message) : String(err);
    }
    figures.slowestMs = Math.max(figures.slowestMs, performance.now() - t0);
  }
  return figures;
}

if (require.main === module) {
  const files = Number(process.argv[2] ?? 20_000);
  const seed = Number(process.argv[3] ?? 1);
  const f = fuzzSessions(files, seed);
  console.log(`saved sessions: ${f.files} mutated files, ${f.refused} refused with a message, ${f.shown} shown, ` +
    `${f.crashes} crashes, slowest ${f.slowestMs.toFixed(0)} ms`);
  if (f.firstCrash) console.log(`first crash (seed ${seed}):\n${f.firstCrash}`);
  process.exit(f.crashes ? 1 : 0);
}
