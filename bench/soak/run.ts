/**
 * Soak bench: `npx tsx bench/soak/run.ts [node|python] [--minutes=10] [--sample=60] [--rate=300]`.
 * Prints a markdown table of the samples and the memory slopes (MB per minute, after the first sample).
 * See soak.ts for what each column measures.
 */
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { slope, soak, type SoakResult } from './soak';

const ROOT = resolve(__dirname, '../..');
const option = (name: string, fallback: number): number => {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? Number(arg.slice(name.length + 3)) : fallback;
};
const runtimes = process.argv.slice(2).filter((a) => a === 'node' || a === 'python') as ('node' | 'python')[];
const venvPython = (): string =>
  join(execFileSync('bash', [join(ROOT, 'scripts/python-env.sh')], { encoding: 'utf8' }).trim().split('\n').pop()!, 'bin', 'python');

/** MB per minute of each memory series, fitted over every sample after the first (warm-up). */
export function slopes(r: SoakResult): Record<'agentRss' | 'hostHeap' | 'webviewHeap', number> {
  const s = r.samples.slice(1);
  const minutes = s.map((x) => x.atS / 60);
  const fit = (ys: number[]): number => Math.round(slope(minutes, ys) * 100) / 100;
  return { agentRss: fit(s.map((x) => x.agentRssMb)), hostHeap: fit(s.map((x) => x.hostHeapMb)), webviewHeap: fit(s.map((x) => x.webviewHeapMb)) };
}

async function main(): Promise<void> {
  for (const runtime of runtimes.length ? runtimes : (['node', 'python'] as const)) {
    const r = await soak({
      runtime, python: runtime === 'python' ? venvPython() : undefined,
      durationMs: option('minutes', 10) * 60_000, sampleMs: option('sample', 60) * 1000, rate: option('rate', 300),
    });
    console.log(`\n### ${runtime}: ${option('minutes', 10)} min at ${option('rate', 300)} req/s (load average ${execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).split(' ').slice(0, 3).join(' ')})\n`);
    console.log('| t (s) | agent RSS (MB) | host heap (MB) | webview heap (MB) | webview DOM nodes | req/s | tasks counted |');
    console.log('|---:|---:|---:|---:|---:|---:|---:|');
    for (const x of r.samples) {
      console.log(`| ${x.atS} | ${x.agentRssMb} | ${x.hostHeapMb} | ${x.webviewHeapMb} | ${x.webviewDomNodes} | ${x.rps} | ${x.tasksCounted.toLocaleString('en-US')} |`);
    }
    const last = r.samples[r.samples.length - 1];
    console.log(`\nslopes (MB/min after the first sample): ${JSON.stringify(slopes(r))}; served ${r.served.toLocaleString('en-US')} requests,` +
      ` ${r.loadErrors} load errors, ${r.droppedEvents} events dropped (counted), tasks per request ${(last.tasksCounted / Math.max(1, r.served)).toFixed(2)},` +
      ` agent errors ${r.agentErrors.length}, view problems ${r.viewProblems.length}, exit ${r.end.exitCode ?? r.end.signal}`);
    for (const e of [...r.agentErrors, ...r.viewProblems]) console.log(`- ${e}`);
  }
}

if (require.main === module) void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
