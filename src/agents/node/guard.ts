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
  sayOnce(`the agent cannot report its failures (${err instanceof Error ? err.message : String(err)}); the rest of this run may be missing`);
}

/** Set once the agent said a failure on stderr: the worker threads and child processes it starts then do not repeat it. */
const SAID = 'ASYNC_INSPECTOR_SAID';

/** A failure the channel cannot carry, said on the program's stderr, once per run (not per process or thread). */
export function sayOnce(text: string): void {
  try {
    if (process.env[SAID] === '1') return;
    process.env[SAID] = '1';
    process.stderr.write(`async-inspector: ${text}\n`);
  } catch {
    // stderr closed: nothing left to tell
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
