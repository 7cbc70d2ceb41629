/**
 * Attaches an Inspection to a program that is already running: the inspection opens its token-guarded channel
 * (Inspection.listen), the runtime's agent is loaded into the process (python.ts, node.ts) with that channel's
 * details, and from its hello on the inspection is fed as if it had launched the program. Detaching ends the
 * inspection, which closes the channel: the agent then removes its hooks and the program goes on. The program
 * exiting meanwhile ends it too (its agent's connection closes). Shared by the CLI and the debug adapter.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ENV, type Runtime } from '../protocol/events';
import type { InspectionEnd } from '../inspection/events';
import { Inspection, type InspectionOptions } from '../inspection/inspection';
import { injectNode } from './node';
import { injectPython, type AgentEndpoint } from './python';
import { AttachError, describeTarget } from './target';

export { AttachError };

export interface AttachedInspection {
  inspection: Inspection;
  pid: number;
  runtime: Runtime;
  /** The process's command line as /proc shows it (the agent's hello has the program's own argv). */
  command: string[];
  /** Ends the inspection (the report is final) and lets the program go on without the agent's hooks. */
  detach(): Promise<InspectionEnd>;
}

const HELLO_TIMEOUT_MS = 10_000;

export async function attachInspection(pid: number, options: InspectionOptions): Promise<AttachedInspection> {
  const target = describeTarget(pid);
  const inspection = await Inspection.listen({ ...options, endWhenAgentsLeave: true });
  const agent = inspection.agent!;
  const dir = mkdtempSync(join(tmpdir(), 'async-inspector-attach-'));
  const endpoint: AgentEndpoint = {
    address: agent.variables[ENV.channel],
    token: agent.variables[ENV.token],
    config: agent.variables[ENV.config],
    dir,
    distDir: dirname(agent.nodeAgent),
  };
  const detach = async (): Promise<InspectionEnd> => {
    // A listening inspection ends at once (nothing of ours to stop): the channel closes, the agent detaches.
    inspection.killNow();
    return inspection.ended;
  };
  try {
    if (target.runtime === 'python') await injectPython(target, endpoint);
    else await injectNode(target, endpoint);
    const deadline = Date.now() + HELLO_TIMEOUT_MS;
    while (!inspection.info) {
      if (Date.now() > deadline) throw new AttachError(`the agent in process ${pid} did not connect within ${HELLO_TIMEOUT_MS / 1000} s`);
      await new Promise((ok) => setTimeout(ok, 20));
    }
  } catch (err) {
    await detach();
    throw err;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { inspection, pid, runtime: target.runtime, command: target.command, detach };
}
