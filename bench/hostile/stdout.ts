/**
 * 1 GB of binary stdout through `async-inspector run`, unbuffered at full speed, against the same program run
 * untraced: every byte arrives (count and sha256 equal), and what it costs in wall time and CPU (the CLI's and the
 * program's, from /usr/bin/time-like rusage of the whole tree). Both runtimes; the best of RUNS runs each.
 * Usage: npx tsx bench/hostile/stdout.ts [MEGABYTES=1024] [RUNS=3]   (npm run bench -- stdout)
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const fixtures = join(root, 'test', 'cli', 'fixtures', 'hostile');
const cli = join(root, 'dist', 'cli.js');
const megabytes = Number(process.argv[2] ?? 1024);
const runs = Number(process.argv[3] ?? 3);

interface Run { seconds: number; cpuSeconds: number; bytes: number; hash: string; code: number | null }

/** Runs `cmd` under `/usr/bin/time -f '%U %S'`: its CPU, children included; stdout counted and hashed. */
function measure(cmd: string[]): Promise<Run> {
  return new Promise((done) => {
    const started = performance.now();
    const child = spawn('/usr/bin/time', ['-f', '%U %S', ...cmd], { stdio: ['ignore', 'pipe', 'pipe'] });
    const hash = createHash('sha256');
    let bytes = 0;
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      hash.update(chunk);
    });
    child.stderr!.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      const [user, sys] = stderr.trim().split('\n').pop()!.split(' ').map(Number);
      done({ seconds: (performance.now() - started) / 1000, cpuSeconds: user + sys, bytes, hash: hash.digest('hex'), code });
    });
  });
}

async function best(cmd: string[]): Promise<Run> {
  let top: Run | undefined;
  for (let i = 0; i < runs; i++) {
    const r = await measure(cmd);
    if (!top || r.seconds < top.seconds) top = r;
  }
  return top!;
}

async function main(): Promise<void> {
  console.log(`| runtime | untraced | through the CLI | bytes equal | CPU untraced → traced |`);
  console.log(`|---|---|---|---|---|`);
  let lost = false;
  for (const [runtime, program] of [['node', ['node', join(fixtures, 'output.js')]], ['python', ['python3', join(fixtures, 'output.py')]]] as const) {
    const plain = await best([...program, String(megabytes)]);
    const traced = await best([process.execPath, cli, 'run', '--', ...program, String(megabytes)]);
    const equal = plain.bytes === megabytes << 20 && traced.bytes === plain.bytes && traced.hash === plain.hash && traced.code === 0;
    lost ||= !equal;
    const rate = (r: Run) => `${r.seconds.toFixed(2)} s (${Math.round(megabytes / r.seconds)} MB/s)`;
    console.log(`| ${runtime} | ${rate(plain)} | ${rate(traced)} | ${equal ? `yes, ${traced.bytes.toLocaleString('en')} bytes` : `NO: ${traced.bytes} vs ${plain.bytes}`} | ${plain.cpuSeconds.toFixed(2)} s → ${traced.cpuSeconds.toFixed(2)} s |`);
  }
  if (lost) process.exitCode = 1;
}

void main();
