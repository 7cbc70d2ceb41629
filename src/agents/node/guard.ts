/**
 * Keeps the tracer from tracing itself and from throwing into the program. `busy` is set while agent code
 * runs (hooks return at once when it is set); failures are reported once per distinct message.
 */
export const guard = {
  busy: false,
  /** Set by the channel once it exists; until then errors are kept and sent when it arrives. */
  report: undefined as ((message: string, detail?: string) => void) | undefined,
};

import { fault, FAULTS } from './faults';

const seen = new Set<string>();
const early: { message: string; detail?: string }[] = [];

export function agentError(where: string, err: unknown): void {
  try {
    const message = `${where}: ${err instanceof Error ? err.message : String(err)}`;
    if (seen.has(message) || seen.size > 50) return;
    seen.add(message);
    const detail = err instanceof Error ? err.stack : undefined;
    if (guard.report) guard.report(message, detail);
    else early.push({ message, detail });
  } catch (err) {
    cannotReport(err);
  }
}

let toldStderr = false;
/** The channel itself fails (its encoder): said once on the program's stderr, the one place left. */
function cannotReport(err: unknown): void {
  if (toldStderr) return;
  toldStderr = true;
  try {
    process.stderr.write(`async-inspector: the agent cannot report its failures (${err instanceof Error ? err.message : String(err)}); the rest of this run may be missing\n`);
  } catch {
    // Reporting must never fail into the program.
  }
}

export function takeEarlyErrors(): { message: string; detail?: string }[] {
  return early.splice(0);
}

/** Runs agent code with the busy flag set; errors are reported, never thrown. */
export function shielded<T>(where: string, fn: () => T): T | undefined {
  const was = guard.busy;
  guard.busy = true;
  try {
    if (FAULTS) fault(where);
    return fn();
  } catch (err) {
    agentError(where, err);
    return undefined;
  } finally {
    guard.busy = was;
  }
}
