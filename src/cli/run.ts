/**
 * `async-inspector run`: launches the program through an Inspection (src/inspection), forwards its
 * output, and at the end writes the report / trace and prints the summary.
 */
import type { InspectionEvent } from '../inspection/events';
import { Inspection } from '../inspection/inspection';
import { exitCodeOf } from '../model/report';
import type { Report } from '../model/types';
import { agentConfigOf, type RunOptions } from './args';
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
  const inspection = await Inspection.launch(
    { command: opts.command, cwd: io.cwd, stdin: 'inherit', output: { stdout: io.out, stderr: io.err } },
    {
      listener: (e) => print(e, io),
      deltas: false,
      agentConfig: agentConfigOf(opts),
    },
  );
  const [ended, { report }] = await Promise.all([supervise(inspection.program, opts.timeoutSec, io.err), inspection.ended]);

  const written = writeOutputs([
    { flag: '--json', path: jsonPath, label: 'Report', text: () => JSON.stringify(report, null, 2) + '\n' },
    {
      flag: '--trace', path: tracePath, label: 'Trace', hint: '(open it in https://ui.perfetto.dev)',
      text: () => JSON.stringify(inspection.chromeTrace()),
    },
  ]);

  let summary = formatSummary(report, { cwd: io.cwd, color: io.color, timedOutAfterSec: ended.timedOut ? opts.timeoutSec : undefined });
  if (!inspection.info) summary += 'The agent never connected: no tasks were recorded (is the program a Node.js or Python program?).\n';
  for (const note of written.notes) summary += `${note}\n`;
  const failing = failingKinds(report, opts.failOn);
  if (failing.length > 0) summary += `async-inspector: failing (--fail-on): found ${failing.join(', ')}\n`;
  io.err.write(summary);

  if (written.failed) return 2; // files a CI step asked for are missing: that must not pass
  if (failing.length > 0) return 1;
  return exitCodeOf(ended) ?? 1;
}

/** The inspector's warnings on stderr (the program's output is piped straight to ours: LaunchSpec.output). */
function print(e: InspectionEvent, io: CliIO): void {
  switch (e.type) {
    case 'output':
      (e.category === 'stdout' ? io.out : io.err).write(e.bytes);
      return;
    case 'warning':
      io.err.write(`async-inspector: warning: ${e.text}\n`);
      return;
    case 'session':
    case 'delta':
    case 'ended':
      return;
  }
}

export function failingKinds(report: Report, failOn: readonly string[]): string[] {
  if (failOn.length === 0) return [];
  const any = failOn.includes('any');
  return [...new Set(report.flags.map((f) => f.kind).filter((k) => any || failOn.includes(k)))];
}
