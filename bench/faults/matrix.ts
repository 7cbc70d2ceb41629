/**
 * Fault injection (issue 16, suite 1): a program run untraced, then through the CLI with the agent's hooks
 * failing (ASYNC_INSPECTOR_FAULTS, src/agents/node/faults.ts and the Python agent's guard.py). The program's
 * stdout and exit code must not change, and each fault that fired (ASYNC_INSPECTOR_FAULTS_LOG) must be reported
 * to the user once: an `agent:` line of the CLI (the report's agentErrors) or one `async-inspector:` line the
 * agent says on stderr when its channel itself is what failed.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const root = join(__dirname, '..', '..');
export const cli = join(root, 'dist', 'cli.js');

/** Every fault point of each agent, one at a time (a hook matches its points and those named `hook …`/`hook.…`). */
export const HOOKS = {
  node: [
    'promise init', 'promise before', 'promise after', 'promise settled', 'timer', 'clear timer', 'timer end',
    'timers/promises', 'fs', 'dns', 'crypto', 'zlib', 'events', 'abort call', 'http', 'net', 'socket', 'listen site',
    'served request', 'fetch', 'Response', 'child_process', 'child exit', 'worker', 'unhandled rejection', 'flush', 'heartbeat',
    'stall sample', 'stall watch', 'exit', 'bye', 'pause flush', 'writer hub', 'install', 'writer start',
    'agent start', 'encoder', 'writer', 'all', 'garbage:encoder', 'garbage:writer', 'garbage:stall sample',
  ],
  python: [
    'create_task hook', 'step hook', 'run_forever hook', 'loop close hook', 'run_in_executor hook', 'executor job',
    'process pool job', 'call_soon_threadsafe hook', 'run_coroutine_threadsafe hook', 'shield hook', 'cancel hook', 'child exit',
    'lock owner', 'Lock.acquire hook', 'Lock.release hook', 'never-awaited hook', 'exception handler hook',
    'asyncio.run hook', 'get_event_loop hook', 'asyncio.run shutdown hook', 'await relations', 'stall sampler',
    'stall sample', 'heartbeat', 'flush', 'writer thread', 'watching the debugger', 'reconnecting after fork',
    'collecting pending tasks at exit', 'stall sampler at exit', 'preparing the environment of child processes',
    'saving what the hooks replace', 'saying bye before the process ends', 'installing', 'starting the',
    'reading ASYNC_INSPECTOR_CONFIG', 'agent start', 'encoder', 'sender', 'uvloop', 'all', 'garbage:encoder',
    'garbage:stall sample',
  ],
} as const;

export type Runtime = keyof typeof HOOKS;

export interface Program {
  runtime: Runtime;
  /** Relative to the repository. */
  file: string;
  /** The interpreter (python: the test venv's for third-party packages). */
  interpreter: string;
  /** Stop it after this long (a program that never ends on its own); its exit code is then not compared. */
  timeoutS?: number;
}

export interface Outcome {
  stdout: string;
  code: number | null;
  stderr: string;
}

/** Runs `cmd`, killing it (and its group) after `limitMs`. */
export function run(cmd: string[], env: NodeJS.ProcessEnv, limitMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(cmd[0], cmd.slice(1), { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-200_000)));
    const killer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // gone
      }
    }, limitMs);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ stdout, code, stderr });
    });
  });
}

/**
 * Durations printed by the program (`0.42s`, `12 ms`) never compare; when its own untraced runs differ (timing,
 * ports, pids), the output is compared as a set of lines with every number masked.
 */
export function normalize(stdout: string, loose: boolean): string {
  const timed = stdout.replace(/\d+(\.\d+)?\s?(ms|s)\b/g, '#s');
  return loose ? timed.split('\n').map((l) => l.replace(/\d+/g, '#')).sort().join('\n') : timed;
}

export interface FaultRun {
  program: Program;
  hook: string;
  /** stdout or exit code differ from the untraced run. */
  changed: string | null;
  /** Fault points that fired. */
  fired: string[];
  /** Injected faults the user was told of (the CLI's agent lines, the agent's own stderr lines, refused hellos). */
  reports: string[];
  /** A report shown more than once. */
  repeated: string[];
  /** Fired, but the user was told nothing. */
  unreported: boolean;
  /** Agent errors other than the injected ones (a fault that broke something else, said as well). */
  secondary: string[];
}

const AGENT_LINE = /^agent: (.*)$/;
const STDERR_LINE = /^async-inspector: (?!warning: refused)(.*)$/;

export async function runWithFault(program: Program, hook: string, baseline: Outcome, loose: boolean): Promise<FaultRun> {
  const dir = mkdtempSync(join(tmpdir(), 'ai-faults-'));
  try {
    const log = join(dir, 'fired.log');
    const timeout = program.timeoutS ?? 30;
    const cmd = [process.execPath, cli, 'run', '--timeout', String(timeout), '--', program.interpreter, program.file];
    const env = { ...process.env, ASYNC_INSPECTOR_FAULTS: hook, ASYNC_INSPECTOR_FAULTS_LOG: log };
    const out = await run(cmd, env, (timeout + 30) * 1000);
    const fired = existsSync(log) ? [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => l.split(' ').slice(2).join(' ')))] : [];
    const lines = out.stderr.split('\n');
    const told = lines.filter((l) => (AGENT_LINE.test(l) || STDERR_LINE.test(l)) && /injected fault|did not start|cannot report|writer thread failed|did not reconnect|malformed|unreadable/.test(l));
    const refused = lines.some((l) => l.startsWith('async-inspector: warning: refused a channel connection'));
    const counts = new Map<string, number>();
    for (const l of told) counts.set(l, (counts.get(l) ?? 0) + 1);
    const secondary = lines.filter((l) => AGENT_LINE.test(l) && !/injected fault/.test(l));
    // A program that never ends on its own (stopped by --timeout here, by the kill after the limit untraced).
    const sameCode = program.timeoutS !== undefined || baseline.code === null || out.code === baseline.code;
    const sameOut = normalize(out.stdout, loose) === normalize(baseline.stdout, loose);
    return {
      program, hook, fired,
      changed: sameCode && sameOut ? null : `${sameCode ? '' : `exit code ${baseline.code} → ${out.code}; `}${sameOut ? '' : `stdout ${JSON.stringify(baseline.stdout.slice(0, 200))} → ${JSON.stringify(out.stdout.slice(0, 200))}`}\n${out.stderr.slice(-1500)}`,
      reports: [...counts.keys()],
      repeated: [...counts].filter(([, n]) => n > 1).map(([l]) => l),
      unreported: fired.length > 0 && told.length === 0 && !refused,
      secondary,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface Baseline {
  outcome: Outcome;
  /** Its own runs differ (timing, addresses): compared as sets of lines with numbers masked. */
  loose: boolean;
  /**
   * Traced without any fault it prints something else by design (a fixture that prints what the agent changes,
   * or whether a child sees the launcher's variables): the fault runs are compared with that traced run instead.
   */
  tracedDiffers: boolean;
}

/** The program untraced, twice, and traced without a fault once. */
export async function baselineOf(program: Program): Promise<Baseline> {
  const limit = (program.timeoutS ?? 30) * 1000;
  const env = { ...process.env };
  delete env.ASYNC_INSPECTOR_FAULTS;
  const a = await run([program.interpreter, program.file], env, limit);
  const b = await run([program.interpreter, program.file], env, limit);
  const loose = a.stdout !== b.stdout || a.code !== b.code;
  const timeout = program.timeoutS ?? 30;
  const traced = await run([process.execPath, cli, 'run', '--timeout', String(timeout), '--', program.interpreter, program.file], env, (timeout + 30) * 1000);
  const sameCode = program.timeoutS !== undefined || a.code === null || traced.code === a.code;
  const tracedDiffers = !sameCode || normalize(traced.stdout, loose) !== normalize(a.stdout, loose);
  return { outcome: tracedDiffers ? traced : a, loose, tracedDiffers };
}

/** Programs at most `concurrency` at a time (the machine is shared). */
export async function inTurn<T, R>(items: T[], concurrency: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  }));
  return results;
}
