/**
 * Decoder and model fuzzing: random and mutated frames (bench/fuzz/frames.ts) from interleaved connections of
 * both runtimes, split at random points, through LineDecoder and InspectorModel as the launcher feeds them,
 * with deltas, snapshots and the final report taken along the way. Counts crashes (anything thrown out of the
 * decoder or the model), the slowest single step (a hang shows there), heap, and the malformed input counted.
 * Run: npx tsx bench/fuzz/run.ts [frames=1000000] [seed=1]
 */
import { InspectorModel } from '../../src/model/model';
import { LineDecoder } from '../../src/protocol/framing';
import type { Runtime } from '../../src/protocol/events';
import { FrameMaker, prng } from './frames';

export interface FuzzFigures {
  frames: number;
  bytes: number;
  crashes: number;
  firstCrash?: string;
  malformedLines: number;
  malformedEvents: number;
  /** The longest single push/apply/delta step, ms. */
  slowestStepMs: number;
  slowestStep?: string;
  heapMb: number;
  ms: number;
}

export function fuzz(frames: number, seed = 1, connections = 6): FuzzFigures {
  const rnd = prng(seed);
  const maker = new FrameMaker(rnd);
  const model = new InspectorModel();
  const figures: FuzzFigures = { frames, bytes: 0, crashes: 0, malformedLines: 0, malformedEvents: 0, slowestStepMs: 0, heapMb: 0, ms: 0 };
  const started = performance.now();
  const guarded = (work: () => void, what = 'apply'): void => {
    const t0 = performance.now();
    try {
      work();
    } catch (err) {
      figures.crashes++;
      figures.firstCrash ??= err instanceof Error ? (err.stack ?? err.message) : String(err);
    }
    const dt = performance.now() - t0;
    if (dt > figures.slowestStepMs) {
      figures.slowestStepMs = dt;
      figures.slowestStep = what;
    }
  };
  const runtimes: Runtime[] = Array.from({ length: connections }, (_, i) => (i % 2 ? 'python' : 'node'));
  const decoders = runtimes.map((_, conn) => new LineDecoder(
    (msg) => guarded(() => model.apply(conn, msg)),
    () => figures.malformedLines++,
  ));
  runtimes.forEach((runtime, conn) => guarded(() => model.apply(conn, maker.hello(runtime, 100 + conn))));
  for (let i = 0; i < frames; i++) {
    const conn = Math.floor(rnd() * connections);
    const text = maker.frame(runtimes[conn], 100 + conn, 0.5);
    figures.bytes += text.length;
    // Split where a socket might: the pieces of one frame arrive in order, other connections' in between.
    let at = 0;
    while (at < text.length) {
      const next = rnd() < 0.7 ? text.length : at + 1 + Math.floor(rnd() * (text.length - at));
      const piece = text.slice(at, next);
      guarded(() => decoders[conn].push(piece), `push ${piece.length} chars`);
      at = next;
    }
    if (i % 500 === 0) guarded(() => void model.takeDelta(), 'delta');
    if (i % 50_000 === 0) guarded(() => void JSON.stringify(model.snapshot()), 'snapshot');
  }
  decoders.forEach((d) => guarded(() => d.end()));
  guarded(() => model.finish({ code: 0, signal: null, durationMs: 1 }));
  guarded(() => void JSON.stringify(model.report({ command: ['fuzz'] })));
  figures.malformedEvents = model.malformedEvents;
  figures.heapMb = Math.round(process.memoryUsage().heapUsed / 1e6);
  figures.ms = Math.round(performance.now() - started);
  return figures;
}

if (require.main === module) {
  const frames = Number(process.argv[2] ?? 1_000_000);
  const seed = Number(process.argv[3] ?? 1);
  const f = fuzz(frames, seed);
  console.log('| frames | MB | crashes | malformed lines | malformed events | slowest step | heap | time |');
  console.log('|---|---|---|---|---|---|---|---|');
  console.log(`| ${f.frames.toLocaleString('en')} | ${Math.round(f.bytes / 1e6)} | ${f.crashes} | ${f.malformedLines.toLocaleString('en')} | ` +
    `${f.malformedEvents.toLocaleString('en')} | ${f.slowestStepMs.toFixed(0)} ms | ${f.heapMb} MB | ${(f.ms / 1000).toFixed(1)} s |`);
  console.log(`slowest step: ${f.slowestStep}`);
  if (f.firstCrash) console.log(`first crash (seed ${seed}):\n${f.firstCrash}`);
  process.exit(f.crashes ? 1 : 0);
}
