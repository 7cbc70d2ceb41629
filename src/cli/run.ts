/**
 * `async-inspector run`: launches the program with the agent, forwards its output and signals,
 * feeds the model, and at the end writes the report / trace and prints the summary.
 */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { launch, type LaunchedProgram } from '../launcher';
import { InspectorModel } from '../model/model';
import { exitCodeOf } from '../model/report';
import { toChromeTrace } from '../model/trace';
import type { Report } from '../model/types';
import { UsageError, type RunOptions } from './args';
import { formatSummary } from './summary';

export interface CliIO {
  cwd: string;
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  color: boolean;
}

/** After SIGTERM, how long the program gets to exit before SIGKILL. */
const KILL_GRACE_MS = 2000;

function checkWritable(flag: string, file: string | undefined, cwd: string): string | undefined {
  if (file === undefined) return undefined;
  const path = resolve(cwd, file);
  const dir = dirname(path);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${flag}: folder not found: ${dir}`);
  if (existsSync(path) && statSync(path).isDirectory()) throw new UsageError(`${flag}: ${path} is a folder`);
  return path;
}

export async function runProgram(opts: RunOptions, io: CliIO): Promise<number> {
  const jsonPath = checkWritable('--json', opts.json, io.cwd);
  const tracePath = checkWritable('--trace', opts.trace, io.cwd);
  for (const w of opts.warnings) io.err.write(`async-inspector: warning: ${w}\n`);
  const model = new InspectorModel();
  const started = performance.now();

  const program: LaunchedProgram = await launch(
    {
      command: opts.command,
      cwd: io.cwd,
      stdin: 'inherit',
      agentConfig: opts.blockThresholdMs !== undefined ? { blockThresholdMs: opts.blockThresholdMs } : {},
    },
    {
      message: (conn, msg) => model.apply(conn, msg),
      stdout: (data) => io.out.write(data),
      stderr: (data) => io.err.write(data),
      warning: (text) => io.err.write(`async-inspector: warning: ${text}\n`),
      exit: () => {},
    },
  );

  const stopper = new Stopper(program, io.err);
  let timedOut = false;
  const timer =
    opts.timeoutSec === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          io.err.write(`\nasync-inspector: --timeout ${opts.timeoutSec}s reached: stopping the program\n`);
          stopper.stop('SIGTERM');
        }, opts.timeoutSec * 1000);
  const onSignal = (signal: NodeJS.Signals) => stopper.stop(signal);
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, onSignal);

  const exit = await program.exited;
  if (timer) clearTimeout(timer);
  stopper.done();
  for (const s of signals) process.off(s, onSignal);

  const durationMs = performance.now() - started;
  model.finish({ code: exit.code, signal: exit.signal, durationMs });
  const report = model.report({ command: opts.command, runtime: program.runtime });
  const writeErrors: string[] = [];
  const write = (flag: string, path: string | undefined, text: () => string) => {
    if (!path) return;
    try {
      writeFileSync(path, text());
    } catch (err) {
      writeErrors.push(`${flag}: could not write ${path}: ${(err as Error).message}`);
    }
  };
  write('--json', jsonPath, () => JSON.stringify(report, null, 2) + '\n');
  write('--trace', tracePath, () => JSON.stringify(toChromeTrace({ ...report, command: opts.command })));

  let summary = formatSummary(report, { cwd: io.cwd, color: io.color, timedOutAfterSec: timedOut ? opts.timeoutSec : undefined });
  if (!model.info) summary += 'The agent never connected: no tasks were recorded (is the program a Node.js or Python program?).\n';
  if (jsonPath && !writeErrors.some((e) => e.startsWith('--json'))) summary += `Report: ${jsonPath}\n`;
  if (tracePath && !writeErrors.some((e) => e.startsWith('--trace'))) summary += `Trace: ${tracePath} (open it in https://ui.perfetto.dev)\n`;
  for (const e of writeErrors) summary += `async-inspector: ${e}\n`;
  const failing = failingKinds(report, opts.failOn);
  if (failing.length > 0) summary += `async-inspector: failing (--fail-on): found ${failing.join(', ')}\n`;
  io.err.write(summary);

  if (writeErrors.length > 0) return 2; // the files a CI step asked for are missing: that must not pass
  if (failing.length > 0) return 1;
  return exitCodeOf(exit) ?? 1;
}

function failingKinds(report: Report, failOn: readonly string[]): string[] {
  if (failOn.length === 0) return [];
  const any = failOn.includes('any');
  return [...new Set(report.flags.map((f) => f.kind).filter((k) => any || failOn.includes(k)))];
}

/** Stops the program: the first request sends the signal, a second one (or the grace time) SIGKILL. */
class Stopper {
  private requested = false;
  private killTimer: NodeJS.Timeout | undefined;

  constructor(private readonly program: LaunchedProgram, private readonly err: NodeJS.WritableStream) {}

  stop(signal: NodeJS.Signals): void {
    if (this.requested) {
      this.err.write('async-inspector: killing the program\n');
      this.program.kill('SIGKILL');
      return;
    }
    this.requested = true;
    this.program.kill(signal);
    this.killTimer = setTimeout(() => this.program.kill('SIGKILL'), KILL_GRACE_MS);
  }

  done(): void {
    if (this.killTimer) clearTimeout(this.killTimer);
  }
}
