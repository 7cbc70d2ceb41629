/**
 * Ingest benchmark: NDJSON channel text → LineDecoder → InspectorModel.apply, measured together
 * (JSON decoding is most of the cost), with a takeDelta every 50 ms of work as the adapter does.
 * Run: npm run bench -- ingest (bundled, as the adapter runs it), or npx tsx bench/ingest/run.ts [events=2000000]
 */
import { InspectorModel } from '../../src/model/model';
import { LineDecoder, encodeMessage } from '../../src/protocol/framing';
import type { AgentEvent, AgentMessage } from '../../src/protocol/events';

const TOTAL = Number(process.argv[2] ?? 2_000_000);
const PER_BATCH = 2000;

/** A realistic mix: each task is created, runs, awaits, ends; sites are interned once. */
function makeWire(): string[] {
  const chunks: string[] = [];
  chunks.push(encodeMessage({
    type: 'hello', protocol: 2, token: 't', runtime: 'node', pid: 1, ppid: 0, argv: ['node', 'bench.js'],
    cwd: '/', agentVersion: '0', runtimeVersion: process.version, startEpochMs: Date.now(),
  }));
  const sites: AgentEvent[] = [];
  for (let s = 1; s <= 50; s++) sites.push({ e: 'site', id: s, file: `/app/src/module${s}.js`, line: s * 3, fn: `handler${s}` });
  chunks.push(encodeMessage({ type: 'batch', seq: 0, dropped: 0, events: sites }));
  let id = 1;
  let events = 0;
  let seq = 1;
  let t = 0;
  while (events < TOTAL) {
    const evs: AgentEvent[] = [];
    while (evs.length < PER_BATCH) {
      const parent = id > 1 ? id - 1 : null;
      const site = (id % 50) + 1;
      t = Math.round((t + 0.013) * 1000) / 1000; // agents send times rounded to microseconds
      evs.push(
        { e: 'create', id, kind: 'promise', name: `handler${site}`, parent, site, t },
        { e: 'state', id, state: 'running', t },
        { e: 'await', id, on: parent ? [parent] : [], site, t },
        { e: 'end', id, state: 'done', t: Math.round((t + 0.005) * 1000) / 1000 },
      );
      id++;
    }
    events += evs.length;
    chunks.push(encodeMessage({ type: 'batch', seq: seq++, dropped: 0, events: evs } as AgentMessage));
  }
  return chunks;
}

const wire = makeWire();
const bytes = wire.reduce((n, c) => n + c.length, 0);

/** Feeds the wire as the socket hands it out: 64 KB pieces, not whole lines. */
function feed(decoder: LineDecoder, afterChunk?: () => void): void {
  for (const chunk of wire) {
    for (let i = 0; i < chunk.length; i += 65536) decoder.push(chunk.slice(i, i + 65536));
    afterChunk?.();
  }
}

/** CPU seconds this process used (all its threads): on a shared machine wall time mostly measures the neighbours. */
function cpuSecs(since?: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
}

// Decoding alone first, to show how the time splits.
const decodeStart = process.hrtime.bigint();
const decodeCpu = process.cpuUsage();
feed(new LineDecoder(() => {}, (e) => { throw new Error(e); }));
const decodeSecs = Number(process.hrtime.bigint() - decodeStart) / 1e9;
const decodeCpuSecs = cpuSecs(decodeCpu);

const model = new InspectorModel({ maxFinishedTasks: 5000 });
let applied = 0;
const decoder = new LineDecoder(
  (msg) => {
    model.apply(0, msg);
    if (msg.type === 'batch') applied += msg.events.length;
  },
  (e) => { throw new Error(e); },
);
const start = process.hrtime.bigint();
const startCpu = process.cpuUsage();
let lastDelta = start;
feed(decoder, () => {
  const now = process.hrtime.bigint();
  if (now - lastDelta > 50_000_000n) {
    model.takeDelta(); // as the adapter does, every 50 ms
    lastDelta = now;
  }
});
model.takeDelta();
const secs = Number(process.hrtime.bigint() - start) / 1e9;
const cpu = cpuSecs(startCpu);
const snap = model.snapshot();
console.log(JSON.stringify({
  events: applied,
  megabytes: +(bytes / 1e6).toFixed(1),
  seconds: +secs.toFixed(3),
  eventsPerSecond: Math.round(applied / secs),
  eventsPerCpuSecond: Math.round(applied / cpu),
  decodeOnlyEventsPerSecond: Math.round(applied / decodeSecs),
  decodeOnlyEventsPerCpuSecond: Math.round(applied / decodeCpuSecs),
  heldTasks: snap.upserts.length,
  retired: snap.retired,
  malformed: model.malformedEvents,
}));
