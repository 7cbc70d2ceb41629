/**
 * `async-inspector attach PID`: attaches an inspection to a running process, follows it for --duration seconds
 * (or until Ctrl+C / the program exits), detaches, then writes the report / trace and prints the summary.
 */
import { attachInspection } from '../attach';
import { toChromeTrace } from '../model/trace';
import { agentConfigOf, type AttachOptions } from './args';
import { outputPath, writeOutputs } from './outputs';
import { failingKinds, type CliIO } from './run';
import { formatSummary } from './summary';

const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export async function attachProgram(opts: AttachOptions, io: CliIO): Promise<number> {
  const jsonPath = outputPath('--json', opts.json, io.cwd);
  const tracePath = outputPath('--trace', opts.trace, io.cwd);
  for (const w of opts.warnings) io.err.write(`async-inspector: warning: ${w}\n`);
  let detaching = false;
  const attached = await attachInspection(opts.pid, {
    deltas: false,
    agentConfig: agentConfigOf(opts),
    listener: (e) => {
      if (e.type === 'warning') io.err.write(`async-inspector: warning: ${e.text}\n`);
    },
  });
  io.err.write(
    `async-inspector: attached to ${attached.runtime} process ${attached.pid}; ` +
      (opts.durationSec !== undefined ? `following it for ${opts.durationSec} s` : 'following it until Ctrl+C') + '\n',
  );
  const stop = () => {
    detaching = true;
    void attached.detach();
  };
  const timer = opts.durationSec !== undefined ? setTimeout(stop, opts.durationSec * 1000) : undefined;
  for (const s of STOP_SIGNALS) process.on(s, stop);
  const end = await attached.inspection.ended;
  clearTimeout(timer);
  for (const s of STOP_SIGNALS) process.off(s, stop);

  const report = end.report;
  const written = writeOutputs([
    { flag: '--json', path: jsonPath, label: 'Report', text: () => JSON.stringify(report, null, 2) + '\n' },
    {
      flag: '--trace', path: tracePath, label: 'Trace', hint: '(open it in https://ui.perfetto.dev)',
      text: () => JSON.stringify(toChromeTrace(report)),
    },
  ]);
  let summary = formatSummary(report, { cwd: io.cwd, color: io.color, attached: detaching ? 'detached' : 'exited' });
  for (const note of written.notes) summary += `${note}\n`;
  const failing = failingKinds(report, opts.failOn);
  if (failing.length > 0) summary += `async-inspector: failing (--fail-on): found ${failing.join(', ')}\n`;
  io.err.write(summary);
  if (written.failed) return 2;
  return failing.length > 0 ? 1 : 0;
}
