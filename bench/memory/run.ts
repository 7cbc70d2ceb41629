/**
 * Memory benchmark for a long run (issue #5: "memory of the extension host and webview bounded for a
 * 10-million-event run"). A generated agent stream (stream.ts) goes the adapter's way: NDJSON text →
 * LineDecoder → InspectorModel.apply, with deltas taken by the adapter's DeltaPump every 50 ms of stream
 * time; each delta goes as JSON (DAP custom event) to the extension's mirror SessionStore (sanitizeDelta,
 * as sessionTracker does) and, with --webview, to the real webview bundle in headless Chromium.
 * At every checkpoint: heap used after a full GC in this process (model + mirror: the extension host's
 * share) and in the page, held/retired task counts and delta sizes. Prints a markdown table.
 *
 * Run: npx tsx --expose-gc bench/memory/run.ts [--events=10000000] [--rate=60000] [--checkpoints=10] [--webview | --cli]
 */
import { isDeepStrictEqual } from 'node:util';
import { getHeapStatistics } from 'node:v8';
import { DeltaPump, type PumpTimers } from '../../src/inspection/delta-pump';
import { InspectorModel } from '../../src/model/model';
import type { ModelDelta } from '../../src/model/types';
import { LineDecoder, encodeMessage } from '../../src/protocol/framing';
import { checkDelta } from '../../src/shared/modelGuards';
import { SessionStore } from '../../src/shared/store';
import { agentStream } from './stream';
import { WebviewProbe, type PageHeap } from './webview';

function option(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? Number(arg.slice(name.length + 3)) : fallback;
}
const TOTAL = option('events', 10_000_000);
const RATE = option('rate', 60_000);
const CHECKPOINTS = option('checkpoints', 10);
const WITH_WEBVIEW = process.argv.includes('--webview');
/** The CLI's path: the model alone, no delta ever taken (its change lists must not grow either). */
const CLI_PATH = process.argv.includes('--cli');

const exposedGc = (globalThis as { gc?: () => void }).gc;
if (!exposedGc) throw new Error('run with --expose-gc (npx tsx --expose-gc bench/memory/run.ts)');
const gc: () => void = exposedGc;

/** The pump's clock is the stream's: a delta every 50 ms of program time, however fast this machine replays it. */
class StreamClock implements PumpTimers {
  time = 0;
  private due: { at: number; fn: () => void } | undefined;
  now(): number { return this.time; }
  setTimeout(fn: () => void, ms: number): unknown {
    this.due = { at: this.time + ms, fn };
    return this.due;
  }
  clearTimeout(handle: unknown): void {
    if (this.due === handle) this.due = undefined;
  }
  /** Moves to `t`, running the pump's timer first when it falls due on the way. */
  advance(t: number): void {
    const due = this.due;
    if (due && due.at <= t) {
      this.time = due.at;
      this.due = undefined;
      due.fn();
    }
    this.time = Math.max(this.time, t);
  }
}

interface Row {
  events: number;
  label?: string;
  hostHeapMB: number;
  heldTasks: number;
  mirrorTasks: number;
  retired: number;
  flags: number;
  deltas: number;
  avgDeltaKB: number;
  maxDeltaKB: number;
  page?: PageHeap;
  seconds: number;
}

const mb = (bytes: number): number => +(bytes / 1048576).toFixed(1);

async function main(): Promise<void> {
  const started = performance.now();
  const clock = new StreamClock();
  const model = new InspectorModel({ maxFinishedTasks: 5000 }); // asyncInspector.maxFinishedTasks default
  const mirror = new SessionStore();
  const page = WITH_WEBVIEW ? await WebviewProbe.open() : undefined;
  /** Deltas for the page, as the extension posts them (as they came). */
  const outbox: ModelDelta[] = [];
  let deltas = 0;
  let bytes = 0;
  let maxBytes = 0;
  let windowDeltas = 0;
  let windowBytes = 0;
  const pump = new DeltaPump<ModelDelta>(() => model.takeDelta(), (delta) => {
    // A DAP custom event crosses VS Code as JSON; the extension validates it once into its mirror store
    // and posts it on as it came.
    const json = JSON.stringify(delta);
    deltas++;
    windowDeltas++;
    bytes += json.length;
    windowBytes += json.length;
    maxBytes = Math.max(maxBytes, json.length);
    const checked = checkDelta(JSON.parse(json))?.delta;
    if (!checked) throw new Error('the extension would drop this delta');
    mirror.apply({ type: 'delta', delta: checked });
    if (page) outbox.push(checked);
  }, 50, clock);
  const decoder = new LineDecoder((msg) => {
    model.apply(0, msg);
    if (msg.type === 'hello' && model.info) {
      mirror.apply({ type: 'reset', session: model.info });
      void page?.post({ type: 'reset', session: model.info });
    }
    if (!CLI_PATH) pump.poke();
  }, (e) => { throw new Error(e); });

  const rows: Row[] = [];
  const every = TOTAL / CHECKPOINTS;
  let applied = 0;
  let nextCheckpoint = every;
  const checkpoint = async (label?: string): Promise<void> => {
    for (const d of outbox.splice(0)) await page?.post({ type: 'delta', delta: d });
    // Counted first (a snapshot is what a newly opened view gets), so it is garbage before the GC.
    // The CLI never asks for a snapshot (it would mark tasks as shown): it counts from the report, as it does.
    const snap = CLI_PATH ? model.report({ command: [] }) : model.snapshot();
    const heldTasks = 'upserts' in snap ? snap.upserts.length : snap.tasks.length;
    const retired = 'retired' in snap ? snap.retired : snap.retiredTasks;
    gc();
    gc();
    rows.push({
      events: applied,
      label,
      hostHeapMB: mb(getHeapStatistics().used_heap_size),
      heldTasks,
      mirrorTasks: mirror.tasks.size,
      retired,
      flags: mirror.flags.size,
      deltas,
      avgDeltaKB: windowDeltas ? +(windowBytes / windowDeltas / 1024).toFixed(1) : 0,
      maxDeltaKB: +(maxBytes / 1024).toFixed(1),
      page: page ? await page.heap() : undefined,
      seconds: Math.round((performance.now() - started) / 1000),
    });
    windowDeltas = windowBytes = 0;
    const r = rows[rows.length - 1];
    console.error(`… ${r.events} events: host ${r.hostHeapMB} MB${r.page ? `, page ${mb(r.page.usedBytes)} MB` : ''} (${r.seconds}s)`);
  };

  const stream = agentStream({ totalEvents: TOTAL, eventsPerSecond: RATE });
  // The baseline: code loaded, the session started (hello), no task yet.
  const hello = stream.next();
  if (!hello.done) decoder.push(encodeMessage(hello.value.msg));
  await checkpoint();
  for (const { t, msg, events } of stream) {
    clock.advance(t);
    decoder.push(encodeMessage(msg));
    applied += events;
    if (page && outbox.length >= 20) for (const d of outbox.splice(0)) await page.post({ type: 'delta', delta: d });
    if (applied >= nextCheckpoint) {
      await checkpoint();
      nextCheckpoint += every;
    }
  }
  decoder.end();
  model.finish({ code: 0, signal: null });
  if (!CLI_PATH) pump.flush();
  mirror.apply({ type: 'ended', exitCode: 0, signal: null });
  await page?.post({ type: 'ended', exitCode: 0, signal: null });
  await checkpoint('end');
  // Deltas applied in order must rebuild exactly what the model holds (nothing leaked, nothing lost).
  const truth = CLI_PATH ? [...mirror.tasks.values()] : model.snapshot().upserts;
  const held = new Set(truth.map((t) => t.id));
  const extra = [...mirror.tasks.keys()].filter((id) => !held.has(id)).length;
  if (extra || mirror.tasks.size !== held.size) console.error(`MISMATCH: mirror ${mirror.tasks.size} tasks, model ${held.size}, ${extra} not in the model`);
  // Tasks sent whole once and then as progress only must still match the model's records field for field.
  const differing = truth.filter((t) => !isDeepStrictEqual(mirror.tasks.get(t.id), t)).length;
  if (differing || mirror.unmatchedProgress) console.error(`MISMATCH: ${differing} tasks differ from the model's, ${mirror.unmatchedProgress} progress entries for tasks the mirror did not hold`);
  if (page) {
    console.error(`webview header: ${await page.headerText()}`);
    const problems = await page.problems();
    if (problems.length) console.error(`page problems:\n${problems.slice(0, 10).join('\n')}`);
    await page.close();
  }
  console.log(table(rows, deltas, bytes));
}

function table(rows: Row[], deltas: number, bytes: number): string {
  const head = ['events', 'host heap (MB)', ...(rows[0]?.page ? ['webview heap (MB)', 'webview DOM nodes'] : []),
    'tasks held (model)', 'tasks held (mirror)', 'retired', 'flags', 'deltas', 'avg delta (KB)', 'max delta (KB)', 'elapsed (s)'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---:').join('|')}|`];
  for (const r of rows) {
    const cells = [`${r.events.toLocaleString('en-US')}${r.label ? ` (${r.label})` : ''}`, r.hostHeapMB,
      ...(r.page ? [mb(r.page.usedBytes), r.page.domNodes] : []),
      r.heldTasks, r.mirrorTasks, r.retired.toLocaleString('en-US'), r.flags, r.deltas, r.avgDeltaKB, r.maxDeltaKB, r.seconds];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  lines.push('', `${deltas} deltas, ${(bytes / 1048576).toFixed(0)} MB of delta JSON in all; stream rate ${RATE} events/s of program time.`);
  return lines.join('\n');
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
