/**
 * `async-inspector attach PID`: loads the agent into a running process, follows it for --duration seconds
 * (or until Ctrl+C / the program exits), detaches, then writes the report / trace and prints the summary.
 */
import { attach } from '../attach';
import { InspectorModel } from '../model/model';
import { toChromeTrace } from '../model/trace';
import type { AttachOptions } from './args';
import { outputPath, writeOutputs } from './outputs';
import { failingKinds, type CliIO } from './run';
import { formatSummary } from './summary';

const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export async function attachProgram(opts: AttachOptions, io: CliIO): Promise<number> {
  const jsonPath = outputPath('--json', opts.json, io.cwd);
  const tracePath = outputPath('--trace', opts.trace, io.cwd);
  for (const w of opts.warnings) io.err.write(`async-inspector: warning: ${w}\n`);
  const model = new InspectorModel();
  const program = await attach(
    { pid: opts.pid, agentConfig: opts.blockThresholdMs !== undefined ? { blockThresholdMs: opts.blockThresholdMs } : {} },
    {
      message: (conn, msg) => model.apply(conn, msg),
      warning: (text) => io.err.write(`async-inspector: warning: ${text}\n`),
    },
  );
  io.err.write(
    `async-inspector: attached to ${program.runtime} process ${program.pid}; ` +
      (opts.durationSec !== undefined ? `following it for ${opts.durationSec} s` : 'following it until Ctrl+C') + '\n',
  );
  let cleanup = () => {};
  const outcome = await new Promise<'detached' | 'exited'>((done) => {
    const timer = opts.durationSec !== undefined ? setTimeout(() => done('detached'), opts.durationSec * 1000) : undefined;
    const stop = () => done('detached');
    for (const s of STOP_SIGNALS) process.once(s, stop);
    void program.exited.then(() => done('exited'));
    cleanup = () => {
      clearTimeout(timer);
      for (const s of STOP_SIGNALS) process.off(s, stop);
    };
  });
  cleanup();
  await program.detach();

  // The program's own argv (from the agent's hello) reads better than /proc's (a loader may stand first).
  const report = model.report({ command: model.info?.command ?? program.command, runtime: program.runtime });
  const written = writeOutputs([
    { flag: '--json', path: jsonPath, label: 'Report', text: () => JSON.stringify(report, null, 2) + '\n' },
    {
      flag: '--trace', path: tracePath, label: 'Trace', hint: '(open it in https://ui.perfetto.dev)',
      text: () => JSON.stringify(toChromeTrace(report)),
    },
  ]);
  let summary = formatSummary(report, { cwd: io.cwd, color: io.color, attached: outcome });
  for (const note of written.notes) summary += `${note}\n`;
  const failing = failingKinds(report, opts.failOn);
  if (failing.length > 0) summary += `async-inspector: failing (--fail-on): found ${failing.join(', ')}\n`;
  io.err.write(summary);
  if (written.failed) return 2;
  return failing.length > 0 ? 1 : 0;
}
