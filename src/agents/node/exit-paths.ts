/**
 * Ways out of a traced process that run no 'exit' handler: the last batch and the bye go first.
 *
 * - process.execve (Node 22.15+ / 23.11+) replaces the process image: bye without an exit code (the new program's
 *   is the process's). A new Node program keeps NODE_OPTIONS and is traced as a connection of its own; if the exec
 *   fails, the program goes on untraced.
 * - SIGTERM / SIGINT / SIGHUP end a program without 'exit': the agent listens to them (Node then no longer dies of
 *   them), delivers the last batch with the status of that death (128 + the signal's number), and dies by the same
 *   signal as the program would have. If the program has its own listener, it decides what happens.
 * - The program sending one of those at itself (`process.kill(process.pid, 'SIGTERM')`): the bye goes and the
 *   agent's listener is removed before the signal is sent. Left to the listener, a program with nothing else to do
 *   would end first, with status 0, instead of dying of the signal as it does without the agent.
 */
import { constants } from 'node:os';

const FORWARDED = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;
type Forwarded = (typeof FORWARDED)[number];

export function flushBeforeExecve(finish: () => void): void {
  const target = process as unknown as { execve?: (...args: unknown[]) => never };
  const real = target.execve;
  if (typeof real !== 'function') return;
  target.execve = function (this: unknown, ...args: unknown[]): never {
    finish();
    return real.apply(this, args);
  };
}

export function forwardSignals(finish: (exitCode: number) => void): void {
  const listeners = new Map<Forwarded, () => void>();
  /** Says bye and lets the signal kill the process, when no listener of the program's is there to take it. */
  const dieOf = (signal: Forwarded): boolean => {
    const own = listeners.get(signal);
    if (own === undefined || process.listenerCount(signal) > 1) return false;
    listeners.delete(signal);
    finish(128 + constants.signals[signal]);
    process.removeListener(signal, own);
    return true;
  };
  for (const signal of FORWARDED) {
    const onSignal = (): void => {
      if (dieOf(signal)) process.kill(process.pid, signal);
    };
    listeners.set(signal, onSignal);
    process.on(signal, onSignal);
  }
  const kill = process.kill;
  process.kill = function (this: NodeJS.Process, pid: number, signal?: string | number): true {
    if (Number(pid) === process.pid) {
      const name = forwarded(signal ?? 'SIGTERM');
      if (name !== undefined) dieOf(name);
    }
    return kill.call(this, pid, signal);
  } as typeof process.kill;
}

function forwarded(signal: string | number): Forwarded | undefined {
  return FORWARDED.find((name) => name === signal || constants.signals[name] === signal);
}
