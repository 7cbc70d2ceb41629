/**
 * Starts a user program with the agent injected and delivers what it says over the private channel:
 * the launch feed of an Inspection (inspection.ts), and raw messages for tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { Runtime } from '../protocol/events';
import { defaultDistDir, mergeEnv } from './agent-env';
import { openAgentChannel } from './channel';
import { viaScriptInterpreter } from './console-script';
import { checkProgram, detectRuntime, injectAgent, LaunchError, resolveExecutable } from './runtime';
import type { LaunchEvents, LaunchSpec } from './launch-types';

export { detectRuntime, defaultDistDir, LaunchError };
export { runtimeForProgram } from './runtime';
export { findExecutable } from './find-executable';
export type { LaunchEvents, LaunchSpec };

export interface LaunchedProgram {
  pid: number;
  runtime: Runtime;
  /** The command actually run (with the agent injected). */
  argv: string[];
  /** Signals the program's whole process group (default SIGTERM). */
  kill(signal?: NodeJS.Signals): void;
  /**
   * After a stop: waits (until `deadline`, ms since the epoch) for the rest of its process group to go, then
   * SIGKILLs what is left: a grandchild ignoring SIGTERM must not outlive the stop of the program.
   */
  finishGroup(deadline: number): Promise<void>;
  /** Writes to the program's stdin (LaunchSpec.stdin 'pipe'); false when it has no such input, or closed it. */
  input(text: string): boolean;
  exited: Promise<{ code: number | null; signal: string | null }>;
}

/** How long to wait, after the program exits, for agents of child processes to close their channel. */
const CHANNEL_DRAIN_MS = 2000;

/** Starts the program. Rejects with a LaunchError (a message for the user) when it cannot start. */
export async function launch(spec: LaunchSpec, events: LaunchEvents): Promise<LaunchedProgram> {
  if (spec.command.length === 0) throw new LaunchError('no command to run');
  const cwd = resolve(spec.cwd ?? process.cwd());
  if (!existsSync(cwd)) throw new LaunchError(`working directory not found: ${cwd}`);
  const baseEnv = mergeEnv(process.env, spec.env);
  // a console script (`uvicorn app:app`) runs as its `#!` interpreter would run it, with the agent first
  const scripted = spec.runtime || detectRuntime(spec.command) ? undefined : viaScriptInterpreter(spec.command, baseEnv, cwd);
  const command = scripted ?? spec.command;
  const runtime = spec.runtime ?? detectRuntime(command);
  if (!runtime) {
    throw new LaunchError(`cannot tell whether ${spec.command[0]} runs Node.js or Python; run it as "node …" or "python3 …"`);
  }
  resolveExecutable(command[0], baseEnv, cwd);
  checkProgram(command, runtime, cwd);

  const distDir = spec.distDir ?? defaultDistDir();
  const { channel, agent } = await openAgentChannel(
    { message: events.message, warning: events.warning, rejected: events.rejected, malformed: events.malformed }, spec.agentConfig ?? {}, distDir,
  );
  const injected = injectAgent(command, runtime, baseEnv, agent);
  if (injected.warning) events.warning(injected.warning);
  const env = injected.env;

  const child = spawn(injected.argv[0], injected.argv.slice(1), {
    cwd,
    env,
    stdio: [spec.stdin ?? 'ignore', 'pipe', 'pipe'],
    // Its own process group, so stopping the session stops the program's children too.
    detached: process.platform !== 'win32',
    windowsHide: true,
  });
  const spawned = await new Promise<Error | undefined>((ok) => {
    child.once('spawn', () => ok(undefined));
    child.once('error', (err) => ok(err));
  });
  if (spawned || child.pid === undefined) {
    channel.close();
    throw new LaunchError(`could not start ${injected.argv[0]}: ${spawned?.message ?? 'no process id'}`);
  }
  const pid = child.pid;
  if (spec.output) {
    // Straight through with back-pressure: a slow reader slows the program, as it would without us.
    child.stdout!.pipe(spec.output.stdout, { end: false });
    child.stderr!.pipe(spec.output.stderr, { end: false });
  } else {
    // Bytes as they came (a program may print binary data), and as text for those who show it.
    const stdoutText = new StringDecoder('utf8');
    const stderrText = new StringDecoder('utf8');
    child.stdout!.on('data', (chunk: Buffer) => events.stdout(stdoutText.write(chunk), chunk));
    child.stderr!.on('data', (chunk: Buffer) => events.stderr(stderrText.write(chunk), chunk));
  }

  const exited = new Promise<{ code: number | null; signal: string | null }>((done) => {
    child.once('exit', (code, signal) => {
      // stdio may stay open in surviving grandchildren: wait for it only while output still flows.
      const drained = closedOrQuiet(child, CHANNEL_DRAIN_MS);
      void Promise.all([drained, channel.whenIdle(CHANNEL_DRAIN_MS)]).then(() => {
        channel.close();
        const result = { code, signal };
        events.exit(code, signal);
        done(result);
      });
    });
  });

  const kill = (signal: NodeJS.Signals = 'SIGTERM'): void => {
    try {
      if (process.platform !== 'win32') process.kill(-pid, signal);
      else child.kill(signal);
    } catch {
      child.kill(signal); // the group is gone; the leader may not be
    }
  };
  const groupAlive = (): boolean => {
    try {
      process.kill(-pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const finishGroup = async (deadline: number): Promise<void> => {
    if (process.platform === 'win32') return;
    while (groupAlive() && Date.now() < deadline) await new Promise((ok) => setTimeout(ok, 50));
    if (groupAlive()) kill('SIGKILL');
  };
  child.stdin?.on('error', () => undefined); // the program closed its input or exited: what is typed then is lost
  const input = (text: string): boolean => {
    const stdin = child.stdin;
    if (!stdin || stdin.destroyed || !stdin.writable) return false;
    stdin.write(text);
    return true;
  };
  return { pid, runtime, argv: injected.argv, kill, finishGroup, input, exited };
}

/**
 * Resolves when the child's stdio has closed, or once no output came for `quietMs` (a grandchild holding the pipes
 * open). A reader slower than the program (LaunchSpec.output's back-pressure) still gets everything.
 */
function closedOrQuiet(child: ChildProcess, quietMs: number): Promise<void> {
  return new Promise<void>((ok) => {
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      clearTimeout(timer);
      child.stdout?.off('data', rearm);
      child.stderr?.off('data', rearm);
      ok();
    };
    const rearm = () => {
      clearTimeout(timer);
      timer = setTimeout(done, quietMs);
      timer.unref();
    };
    child.once('close', done);
    child.stdout?.on('data', rearm);
    child.stderr?.on('data', rearm);
    rearm();
  });
}
