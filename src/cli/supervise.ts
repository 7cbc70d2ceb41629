/**
 * Watches a running program for the CLI: --timeout and Ctrl-C / SIGTERM / SIGHUP stop it (the signal is
 * forwarded to its process group; a second request, or a grace time, sends SIGKILL, also to what is left of the
 * group once the program itself has exited).
 */
import type { LaunchedProgram } from '../inspection/launch';

/** After SIGTERM, how long the program gets to exit before SIGKILL. */
const KILL_GRACE_MS = 2000;
const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export interface Ended {
  code: number | null;
  signal: string | null;
  timedOut: boolean;
}

export async function supervise(program: LaunchedProgram, timeoutSec: number | undefined, err: NodeJS.WritableStream): Promise<Ended> {
  let requested = false;
  let graceEnds: number | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  const stop = (signal: NodeJS.Signals) => {
    if (requested) {
      err.write('async-inspector: killing the program\n');
      program.kill('SIGKILL');
      return;
    }
    requested = true;
    graceEnds = Date.now() + KILL_GRACE_MS;
    program.kill(signal);
    killTimer = setTimeout(() => program.kill('SIGKILL'), KILL_GRACE_MS);
  };

  let timedOut = false;
  const timer =
    timeoutSec === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          err.write(`\nasync-inspector: --timeout ${timeoutSec}s reached: stopping the program\n`);
          stop('SIGTERM');
        }, timeoutSec * 1000);
  for (const s of FORWARDED) process.on(s, stop);
  try {
    const exit = await program.exited;
    if (graceEnds !== undefined) await program.finishGroup(graceEnds);
    return { ...exit, timedOut };
  } finally {
    clearTimeout(timer);
    clearTimeout(killTimer);
    for (const s of FORWARDED) process.off(s, stop);
  }
}
