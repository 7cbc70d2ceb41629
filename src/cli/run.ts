/**
 * `async-inspector run`: launches the program with the agent, forwards its output, feeds the model,
 * and at the end writes the report / trace and prints the summary.
 */
import { launch } from '../inspection/launch';
import { InspectorModel } from '../model/model';
import { exitCodeOf } from '../model/report';
import { toChromeTrace } from '../model/trace';
import type { Report } from '../model/types';
import type { RunOptions } from './args';
import { outputPath, writeOutputs } from './outputs';
import { formatSummary } from './summary';
import { supervise } from './supervise';

export interface CliIO {
  cwd: string;
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  color: boolean;
}

/** Runs the program to its end; resolves with the CLI's exit code. */
export async function runProgram(opts: RunOptions, io: CliIO): Promise<number> {
  const jsonPath = outputPath('--json', opts.json, io.cwd);
  const tracePath = outputPath('--trace', opts.trace, io.cwd);
  for (const w of opts.warnings) io.err.write(`async-inspector: warning: ${w}\n`);
  const model = new InspectorModel();
  const started = performance.now();

  const program = await launch(
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
  const ended = await supervise(program, opts.timeoutSec, io.err);

  model.finish({ code: ended.code, signal: ended.signal, durationMs: performance.now() - started });
  const report = model.report({ command: opts.command, runtime: program.runtime });
  const written = writeOutputs([
    { flag: '--json', path: jsonPath, label: 'Report', text: () => JSON.stringify(report, null, 2) + '\n' },
    {
      flag: '--trace', path: tracePath, label: 'Trace', hint: '(open it in https://ui.perfetto.dev)',
      text: () => JSON.stringify(toChromeTrace({ ...report, command: opts.command })),
    },
  ]);

  let summary = formatSummary(report, { cwd: io.cwd, color: io.color, timedOutAfterSec: ended.timedOut ? opts.timeoutSec : undefined });
  if (!model.info) summary += 'The agent never connected: no tasks were recorded (is the program a Node.js or Python program?).\n';
  for (const note of written.notes) summary += `${note}\n`;
  const failing = failingKinds(report, opts.failOn);
  if (failing.length > 0) summary += `async-inspector: failing (--fail-on): found ${failing.join(', ')}\n`;
  io.err.write(summary);

  if (written.failed) return 2; // files a CI step asked for are missing: that must not pass
  if (failing.length > 0) return 1;
  return exitCodeOf(ended) ?? 1;
}

function failingKinds(report: Report, failOn: readonly string[]): string[] {
  if (failOn.length === 0) return [];
  const any = failOn.includes('any');
  return [...new Set(report.flags.map((f) => f.kind).filter((k) => any || failOn.includes(k)))];
}
