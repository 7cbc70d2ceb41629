/** Recognising the runtime of a command and injecting the agent into it. */
import { existsSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { withAgent, type AgentEnvironment } from './agent-env';
import { findExecutable } from './find-executable';
import type { Runtime } from '../protocol/events';

export class LaunchError extends Error {}

const NODE_EXE = /^(node|nodejs)(\d+)?(\.exe)?$/i;
export const PYTHON_EXE = /^(python|pythonw|pypy)(\d+(\.\d+)*)?(\.exe)?$/i;

const RUNTIME_BY_EXTENSION: Readonly<Record<string, Runtime>> = {
  '.js': 'node', '.mjs': 'node', '.cjs': 'node', '.ts': 'node', '.mts': 'node', '.cts': 'node',
  '.py': 'python', '.pyw': 'python',
};

/** Which runtime runs a program file, from its extension. */
export function runtimeForProgram(program: string): Runtime | undefined {
  return RUNTIME_BY_EXTENSION[extname(program).toLowerCase()];
}

/** The runtime named by the interpreter in command[0], or undefined when it is not recognisable. */
export function detectRuntime(command: string[]): Runtime | undefined {
  const exe = basename(command[0] ?? '');
  if (NODE_EXE.test(exe)) return 'node';
  if (PYTHON_EXE.test(exe)) return 'python';
  return undefined;
}

/** Python interpreter options that take a separate value (`-W ignore`, `-X dev`). */
const PY_OPTS_WITH_VALUE = new Set(['-W', '-X', '--check-hash-based-pycs']);
/** Node options that take a separate value (`-r mod`, `--import mod`, `--cpu-prof-dir dir`). */
const NODE_OPTS_WITH_VALUE = new Set([
  '-r', '--require', '--import', '--loader', '--experimental-loader', '--env-file', '--conditions', '-C', '--input-type',
  '--cpu-prof-dir', '--cpu-prof-interval', '--cpu-prof-name', '--heap-prof-dir', '--heap-prof-interval', '--heap-prof-name',
  '--diagnostic-dir', '--disable-warning', '--dns-result-order', '--experimental-policy', '--policy-integrity',
  '--heapsnapshot-near-heap-limit', '--heapsnapshot-signal', '--icu-data-dir', '--inspect-port', '--debug-port',
  '--max-http-header-size', '--openssl-config', '--redirect-warnings', '--report-dir', '--report-directory',
  '--report-filename', '--report-signal', '--secure-heap', '--secure-heap-min', '--snapshot-blob', '--title',
  '--tls-cipher-list', '--tls-keylog', '--trace-event-categories', '--trace-event-file-pattern',
  '--unhandled-rejections', '--use-largepages', '--watch-path', '--experimental-default-type',
  '--test-name-pattern', '--test-reporter', '--test-reporter-destination', '--test-shard', '--test-concurrency',
  '--test-timeout', '--stack-size', '--max-old-space-size', '--max-semi-space-size', '--stack-trace-limit',
]);

/** Index of the program argument (script path) after the interpreter's own options, or -1. */
export function programIndex(command: string[], runtime: Runtime): number {
  const withValue = runtime === 'python' ? PY_OPTS_WITH_VALUE : NODE_OPTS_WITH_VALUE;
  for (let i = 1; i < command.length; i++) {
    const arg = command[i];
    if (arg === '--') return i + 1 < command.length ? i + 1 : -1;
    if (!arg.startsWith('-') || arg === '-') return i;
    if (runtime === 'python' && (arg === '-m' || arg === '-c')) return -1;
    if (runtime === 'node' && (arg === '-e' || arg === '--eval' || arg === '-p' || arg === '--print')) return -1;
    if (withValue.has(arg)) i++;
  }
  return -1;
}

/** Checks the interpreter exists where spawn will look for it, or throws a LaunchError naming it. */
export function resolveExecutable(exe: string, env: Record<string, string | undefined>, cwd: string): string {
  const found = findExecutable(exe, env, cwd);
  if (!found) throw new LaunchError(`runtime not found: ${exe}`);
  return found;
}

/** Checks that the script the command runs exists, so the user gets one clear message. */
export function checkProgram(command: string[], runtime: Runtime, cwd: string): void {
  const i = programIndex(command, runtime);
  if (i < 0) return;
  const program = resolve(cwd, command[i]);
  if (existsSync(program)) return;
  // An option this list does not know may have taken the argument as its value (`--some-flag 50`): unless the
  // argument looks like a script, the runtime gives the verdict.
  const afterOption = command[i - 1].startsWith('-') && !command[i - 1].includes('=');
  if (afterOption && !looksLikeScript(command[i])) return;
  throw new LaunchError(`program not found: ${program}`);
}

function looksLikeScript(arg: string): boolean {
  return runtimeForProgram(arg) !== undefined || /[\\/]/.test(arg);
}

export interface Injected {
  argv: string[];
  env: Record<string, string | undefined>;
  /** Why the program runs without the agent, when it does. */
  warning?: string;
}

/**
 * The command and environment that run `command` with the agent: the environment of `withAgent`, and
 * for a Python script `-m async_inspector` before it (the launch path; a debugger's own launch uses
 * the environment alone).
 */
export function injectAgent(
  command: string[], runtime: Runtime, env: Record<string, string | undefined>, agent: AgentEnvironment,
): Injected {
  const newEnv = withAgent(env, runtime, agent);
  switch (runtime) {
    case 'node':
      return { argv: command, env: newEnv };
    case 'python': {
      const i = programIndex(command, 'python');
      const mIndex = command.indexOf('-m');
      if (i > 0) return { argv: [...command.slice(0, i), '-m', 'async_inspector', ...command.slice(i)], env: newEnv };
      if (mIndex > 0) {
        return { argv: [...command.slice(0, mIndex), '-m', 'async_inspector', ...command.slice(mIndex)], env: newEnv };
      }
      return { argv: command, env: newEnv, warning: 'no Python script in the command: running it without the agent' };
    }
  }
}
