/**
 * Turns the launch configuration (JSON typed by a user in launch.json) into a checked launch plan, or
 * one clear sentence saying what is wrong. Nothing here starts a process.
 */
import { statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { AgentConfig, Runtime } from '../protocol/events';
import { mergeEnv, type EnvOverrides } from '../inspection/agent-env';
import { findExecutable } from '../inspection/find-executable';
import { scriptInterpreter } from '../inspection/console-script';
import { detectRuntime, runtimeForProgram } from '../inspection/runtime';

/** The launch arguments package.json declares (contributes.debuggers configurationAttributes.launch). */
export interface InspectorLaunchArguments {
  program?: string;
  args?: string[];
  cwd?: string;
  env?: Record<string, string | null>;
  runtime?: Runtime;
  runtimeExecutable?: string;
  runtimeArgs?: string[];
  blockThresholdMs?: number;
  maxFinishedTasks?: number;
  /** false: the program's child processes run untraced (AgentConfig.traceChildren). Default true. */
  traceChildProcesses?: boolean;
}

export interface LaunchPlan {
  /** Absolute path of the program file. */
  program: string;
  runtime: Runtime;
  /** [runtimeExecutable, ...runtimeArgs, program, ...args] as handed to the launcher. */
  command: string[];
  cwd: string;
  /** The configuration's changes to the environment (null removes a variable), checked. */
  env: EnvOverrides;
  agentConfig: AgentConfig;
  maxFinishedTasks: number;
  /** Adjustments worth telling the user (clamped numbers). */
  notes: string[];
}

export type LaunchArgsResult = { ok: true; plan: LaunchPlan } | { ok: false; error: string };

export const DEFAULT_RUNTIME_EXECUTABLE: Record<Runtime, string> = { node: 'node', python: 'python3' };
export const BLOCK_THRESHOLD_RANGE = { min: 1, max: 600_000 } as const;
export const MAX_FINISHED_TASKS_RANGE = { min: 0, max: 1_000_000, default: 5000 } as const;

class LaunchArgsError extends Error {}

export function resolveLaunchArgs(raw: unknown, base: { cwd: string; env: NodeJS.ProcessEnv }): LaunchArgsResult {
  try {
    return { ok: true, plan: buildPlan(isRecord(raw) ? raw : {}, base) };
  } catch (err) {
    if (err instanceof LaunchArgsError) return { ok: false, error: err.message };
    throw err;
  }
}

function buildPlan(raw: Record<string, unknown>, base: { cwd: string; env: NodeJS.ProcessEnv }): LaunchPlan {
  const notes: string[] = [];
  const programArg = optionalString(raw, 'program');
  if (!programArg) throw new LaunchArgsError('The launch configuration has no "program": set it to the .js or .py file to run.');
  const cwdArg = optionalString(raw, 'cwd');
  const cwd = cwdArg ? resolve(base.cwd, cwdArg) : isAbsolute(programArg) ? dirname(programArg) : base.cwd;
  if (!isDirectory(cwd)) throw new LaunchArgsError(`cwd not found: ${cwd}`);
  const program = resolve(cwd, programArg);
  const kind = fileKind(program);
  if (kind === 'missing') throw new LaunchArgsError(`program not found: ${program}`);
  if (kind === 'directory') throw new LaunchArgsError(`program is a folder, not a file: ${program}`);

  const env = envOverrides(raw.env);
  const runtimeExecutableArg = optionalString(raw, 'runtimeExecutable');
  // a console script (`.venv/bin/uvicorn`): its `#!` interpreter, unless the configuration names one
  const shebang = runtimeForProgram(program) ? undefined : scriptInterpreter(program);
  const runtime = chooseRuntime(raw.runtime ?? (shebang ? 'python' : undefined), program, runtimeExecutableArg);
  const fromShebang = runtime === 'python' && !runtimeExecutableArg ? shebang ?? [] : [];
  const runtimeExecutable = runtimeExecutableArg ?? fromShebang[0] ?? DEFAULT_RUNTIME_EXECUTABLE[runtime];
  if (!findExecutable(runtimeExecutable, mergeEnv(base.env, env), cwd)) throw new LaunchArgsError(`runtime not found: ${runtimeExecutable}`);

  const agentConfig: AgentConfig = {};
  const threshold = optionalNumber(raw, 'blockThresholdMs', BLOCK_THRESHOLD_RANGE, notes);
  if (threshold !== undefined) agentConfig.blockThresholdMs = threshold;
  const traceChildren = raw.traceChildProcesses;
  if (traceChildren !== undefined && traceChildren !== null && typeof traceChildren !== 'boolean') {
    throw new LaunchArgsError(`"traceChildProcesses" must be true or false (got ${JSON.stringify(traceChildren)}).`);
  }
  if (traceChildren === false) agentConfig.traceChildren = false;
  const maxFinishedTasks = Math.floor(
    optionalNumber(raw, 'maxFinishedTasks', MAX_FINISHED_TASKS_RANGE, notes) ?? MAX_FINISHED_TASKS_RANGE.default,
  );
  const command = [runtimeExecutable, ...fromShebang.slice(1), ...stringList(raw, 'runtimeArgs'), program, ...stringList(raw, 'args')];
  return { program, runtime, command, cwd, env, agentConfig, maxFinishedTasks, notes };
}

function chooseRuntime(value: unknown, program: string, runtimeExecutable: string | undefined): Runtime {
  if (value !== undefined && value !== null && value !== '') {
    if (value === 'node' || value === 'python') return value;
    throw new LaunchArgsError(`"runtime" must be "node" or "python" (got ${JSON.stringify(value)}).`);
  }
  const byExtension = runtimeForProgram(program);
  if (byExtension) return byExtension;
  const byExecutable = runtimeExecutable ? detectRuntime([runtimeExecutable]) : undefined;
  if (byExecutable) return byExecutable;
  throw new LaunchArgsError(
    `Cannot tell whether ${program} is a Node.js or a Python program: set "runtime" to "node" or "python".`,
  );
}

function envOverrides(value: unknown): EnvOverrides {
  const env: EnvOverrides = {};
  if (value === undefined || value === null) return env;
  if (!isRecord(value)) throw new LaunchArgsError('"env" must be an object of variable names to strings (or null to remove one).');
  for (const [key, v] of Object.entries(value)) {
    if (v === null) env[key] = null;
    else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') env[key] = String(v);
    else throw new LaunchArgsError(`"env.${key}" must be a string or null (got ${JSON.stringify(v)}).`);
  }
  return env;
}

function optionalString(raw: Record<string, unknown>, key: string): string | undefined {
  const v = raw[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new LaunchArgsError(`"${key}" must be a string (got ${JSON.stringify(v)}).`);
  return v;
}

function stringList(raw: Record<string, unknown>, key: string): string[] {
  const v = raw[key];
  if (v === undefined || v === null) return [];
  const items = Array.isArray(v) ? v : [v];
  return items.map((item) => {
    if (typeof item === 'string') return item;
    if (typeof item === 'number' || typeof item === 'boolean') return String(item);
    throw new LaunchArgsError(`"${key}" must be a list of strings (got ${JSON.stringify(v)}).`);
  });
}

/** A number within range; out-of-range values are clamped (with a note), non-numbers refused. */
function optionalNumber(
  raw: Record<string, unknown>, key: string, range: { min: number; max: number }, notes: string[],
): number | undefined {
  const v = raw[key];
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || Number.isNaN(n)) {
    throw new LaunchArgsError(`"${key}" must be a number between ${range.min} and ${range.max} (got ${JSON.stringify(v)}).`);
  }
  const clamped = Math.min(range.max, Math.max(range.min, n));
  if (clamped !== n) notes.push(`"${key}" ${n} is outside ${range.min}–${range.max}; using ${clamped}.`);
  return clamped;
}

function fileKind(path: string): 'file' | 'directory' | 'missing' {
  try {
    return statSync(path).isDirectory() ? 'directory' : 'file';
  } catch {
    return 'missing';
  }
}

function isDirectory(path: string): boolean {
  return fileKind(path) === 'directory';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
