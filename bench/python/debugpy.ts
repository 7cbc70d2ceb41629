/**
 * What the agent costs under debugpy (not a test). Run: `npx tsx bench/python/debugpy.ts [runs] [python]`.
 *
 * 1. bench/python/tasks100k.py (100,000 tasks created and gathered) launched by debugpy's own adapter
 *    (`python -m debugpy.adapter`, as VS Code's Python Debugger starts it) with no breakpoint, as a plain
 *    `debugpy` configuration and as one with the agent injected (injectPythonAgent) and a listening
 *    Inspection reading it, interleaved; median wall and CPU of the workload as it prints them.
 * 2. The delay between debugpy's `stopped` event and the agent's `paused` event in the inspection (the
 *    program as of the stop), at a breakpoint in test/fixtures/python/debug/paused_task.py.
 */
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { Inspection } from '../../src/inspection/inspection';
import { injectPythonAgent, type LaunchConfig } from '../../src/inspection/inject-python';
import { DapClient } from '../../test/debug/dap-client';

const root = resolve(__dirname, '../..');
const runs = Number(process.argv[2] ?? 5);
const base = process.argv[3] ?? '/root/.pyenv/versions/3.12.1/bin/python';
const venv = execFileSync('bash', [join(root, 'scripts/debugpy-env.sh'), base], { encoding: 'utf8' }).trim();
const python = join(venv, 'bin/python');
const host = { env: process.env, platform: process.platform, readFile: () => undefined };

async function session(program: string, traced: boolean, breakpoint?: number) {
  const inspection = traced ? await Inspection.listen({ listener: () => undefined, distDir: join(root, 'dist'), endWhenAgentsLeave: false }) : undefined;
  let config: LaunchConfig = { type: 'debugpy', request: 'launch', name: 'bench', program, cwd: root, console: 'internalConsole', justMyCode: true };
  if (inspection) config = (injectPythonAgent(config, { ...inspection.agent!, session: 'bench' }, host) as { config: LaunchConfig }).config;
  const dap = DapClient.start(python, ['-m', 'debugpy.adapter']);
  await dap.request('initialize', { adapterID: 'debugpy', clientID: 'bench', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  const launched = dap.request('launch', config);
  await dap.event('initialized');
  if (breakpoint) await dap.request('setBreakpoints', { source: { path: program }, breakpoints: [{ line: breakpoint }] });
  await dap.request('configurationDone');
  await launched;
  return { dap, inspection };
}

async function tasks100k(traced: boolean): Promise<[number, number]> {
  const { dap, inspection } = await session(join(root, 'bench/python/tasks100k.py'), traced);
  await dap.event('terminated', undefined, 600_000);
  dap.kill();
  await inspection?.end();
  const m = /^(\d+\.\d+) (\d+\.\d+)$/m.exec(dap.output);
  if (!m) throw new Error(`no timing in the program's output: ${dap.output}`);
  return [Number(m[1]), Number(m[2])];
}

async function stopToPaused(): Promise<number> {
  const program = join(root, 'test/fixtures/python/debug/paused_task.py');
  const { readFileSync } = await import('node:fs');
  const line = readFileSync(program, 'utf8').split('\n').findIndex((l) => l.includes('# BREAKPOINT')) + 1;
  const { dap, inspection } = await session(program, true, line);
  const stopped = await dap.event('stopped');
  const t0 = performance.now();
  while (!inspection!.paused) await new Promise((r) => setTimeout(r, 1));
  const ms = performance.now() - t0; // 0: the agent's paused event came before debugpy's stopped event
  await dap.request('continue', { threadId: stopped.body!.threadId });
  await dap.event('terminated');
  dap.kill();
  await inspection!.end();
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const version = execFileSync(python, ['-c', 'import sys, debugpy; print(sys.version.split()[0], debugpy.__version__)'], { encoding: 'utf8' }).trim();
  console.log(`python / debugpy ${version}, ${runs} runs each, interleaved`);
  const plain: Array<[number, number]> = [];
  const traced: Array<[number, number]> = [];
  for (let i = 0; i < runs; i++) {
    plain.push(await tasks100k(false));
    traced.push(await tasks100k(true));
  }
  const [pw, pc] = [median(plain.map((r) => r[0])), median(plain.map((r) => r[1]))];
  const [tw, tc] = [median(traced.map((r) => r[0])), median(traced.map((r) => r[1]))];
  console.log('| under debugpy (no breakpoint) | without the agent | with the agent | ratio |');
  console.log('|---|---|---|---|');
  console.log(`| 100k tasks created + gathered, wall | ${pw.toFixed(3)} s | ${tw.toFixed(3)} s | ${(tw / pw).toFixed(2)}x |`);
  console.log(`| 100k tasks created + gathered, process CPU | ${pc.toFixed(3)} s | ${tc.toFixed(3)} s | ${(tc / pc).toFixed(2)}x |`);
  const delays: number[] = [];
  for (let i = 0; i < runs; i++) delays.push(await stopToPaused());
  const before = delays.filter((d) => d < 1).length;
  console.log(`| the inspection holds the program as of the stop, after debugpy's \`stopped\` event | | ${before} of ${runs} runs before it, at most ${Math.max(...delays).toFixed(0)} ms after | |`);
}

void main();
