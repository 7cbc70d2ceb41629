/** Command-line parsing for `async-inspector`. Bad input throws a UsageError (exit 2, one clear line). */
import { KNOWN_FLAG_KINDS } from '../model/flag-kinds';
import type { AgentConfig } from '../protocol/events';

export class UsageError extends Error {}

export interface RunOptions {
  json?: string;
  trace?: string;
  /** Seconds before the program is stopped. */
  timeoutSec?: number;
  blockThresholdMs?: number;
  /** run --no-children: the program's child processes run untraced. */
  noChildren?: boolean;
  /** Flag kinds that make the run fail (exit 1); 'any' matches every kind. */
  failOn: string[];
  /** Things worth telling the user that do not stop the run. */
  warnings: string[];
  command: string[];
}

/** `attach PID`: the run options that apply, the process, and how long to follow it (undefined: until Ctrl+C). */
export interface AttachOptions extends Omit<RunOptions, 'command' | 'timeoutSec' | 'noChildren'> {
  pid: number;
  durationSec?: number;
}

export type Parsed =
  | { cmd: 'help'; toStderr?: boolean }
  | { cmd: 'version' }
  | { cmd: 'run'; options: RunOptions }
  | { cmd: 'attach'; options: AttachOptions };

export const USAGE = `Usage: async-inspector run [options] -- COMMAND [ARGS...]
       async-inspector attach PID [--duration SECONDS] [--json FILE] [--trace FILE] [--fail-on KINDS]

run: runs a Node.js or Python asyncio program with the Async Inspector agent, forwards its output,
then prints a summary of its tasks and flags.
attach: loads the agent into a running Node.js or Python process, shows what is pending now (tasks
found at attach), follows it for --duration seconds (default: until Ctrl+C), then detaches and prints
the same summary; the program keeps running.

Options:
  --json FILE             write the JSON report (schema 1) to FILE
  --trace FILE            write a Chrome trace-event file (opens in https://ui.perfetto.dev)
  --timeout SECONDS       stop the program after SECONDS (the report is still written)
  --duration SECONDS      attach: detach after SECONDS
  --block-threshold MS    a loop step longer than MS is a blocking call (default 100)
  --no-children           run: trace only the program's own process (its child processes,
                          forked, cluster or spawned, run untraced)
  --fail-on KINDS         exit 1 if a flag of these kinds is found (comma-separated, or "any"):
                          ${KNOWN_FLAG_KINDS.slice(0, 4).join(', ')},
                          ${KNOWN_FLAG_KINDS.slice(4, 7).join(', ')},
                          ${KNOWN_FLAG_KINDS.slice(7).join(', ')}
                          (explained in docs/flags.md)
  -h, --help              show this help
  -v, --version           show the version

Exit code: the program's (128 + signal number if it was killed), 1 when --fail-on matched,
2 for a usage error or a program that could not be started or attached to (attach: 0 otherwise).

Examples:
  async-inspector run -- node app.js
  async-inspector run --json report.json --fail-on pending-at-exit,unhandled-rejection -- node server.js
  async-inspector run --timeout 30 --trace trace.json -- python3 main.py
  async-inspector attach 4242 --duration 10 --json report.json --fail-on deadlock`;

const MAX_TIMEOUT_SEC = 7 * 24 * 3600;
const MAX_BLOCK_MS = 600_000;

function number(flag: string, raw: string, min: number, max: number, unit: string): number {
  const value = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(value)) throw new UsageError(`${flag} needs a number of ${unit}, got "${raw}"`);
  if (value < min || value > max) throw new UsageError(`${flag} must be between ${min} and ${max} ${unit}, got ${raw}`);
  return value;
}

const KIND_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * Flag kinds for --fail-on. Agents may report kinds beyond the known ones,
 * so an unfamiliar but well-formed name is accepted with a warning (it is most likely a typo).
 */
function kinds(raw: string, warnings: string[]): string[] {
  const list = raw.split(',').map((k) => k.trim()).filter(Boolean);
  if (list.length === 0) throw new UsageError('--fail-on needs one or more flag kinds, e.g. --fail-on pending-at-exit');
  const known = new Set<string>([...KNOWN_FLAG_KINDS, 'any']);
  for (const k of list) {
    if (!KIND_NAME.test(k)) throw new UsageError(`--fail-on: "${k}" is not a flag kind (known: ${[...known].join(', ')})`);
    if (!known.has(k)) warnings.push(`--fail-on: "${k}" is not one of the usual flag kinds (${[...known].join(', ')}); it matches only if an agent reports exactly that kind`);
  }
  return list;
}

const VALUE_OPTIONS = new Set(['--json', '--trace', '--timeout', '--block-threshold', '--fail-on', '--duration']);

/** What the options tell the agents (AgentConfig): only what the user set, the agents default the rest. */
export function agentConfigOf(opts: Pick<RunOptions, 'blockThresholdMs' | 'noChildren'>): AgentConfig {
  const config: AgentConfig = {};
  if (opts.blockThresholdMs !== undefined) config.blockThresholdMs = opts.blockThresholdMs;
  if (opts.noChildren) config.traceChildren = false;
  return config;
}

export function parseArgs(argv: readonly string[]): Parsed {
  const [sub, ...rest] = argv;
  if (sub === undefined) return { cmd: 'help', toStderr: true };
  if (sub === '-h' || sub === '--help' || sub === 'help') return { cmd: 'help' };
  if (sub === '-v' || sub === '--version' || sub === 'version') return { cmd: 'version' };
  if (sub !== 'run' && sub !== 'attach') {
    throw new UsageError(sub.startsWith('-') ? `unknown option ${sub} (try --help)` : `unknown command "${sub}" (the commands are "run" and "attach"; try --help)`);
  }
  const attaching = sub === 'attach';
  const options: RunOptions & { durationSec?: number } = { failOn: [], warnings: [], command: [] };
  const pids: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--' && !attaching) {
      options.command = rest.slice(i + 1);
      break;
    }
    if (arg === '-h' || arg === '--help') return { cmd: 'help' };
    if (arg === '--no-children' && !attaching) {
      options.noChildren = true;
      continue;
    }
    if (!arg.startsWith('-') && attaching) {
      pids.push(arg);
      continue;
    }
    if (!arg.startsWith('-')) {
      options.command = rest.slice(i); // the command may follow the options without "--"
      break;
    }
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (!VALUE_OPTIONS.has(flag) || (flag === '--duration') !== attaching && (flag === '--duration' || flag === '--timeout')) {
      throw new UsageError(`unknown option ${flag}${attaching ? ' for attach' : ''} (try --help)`);
    }
    let value: string;
    if (eq > 0) value = arg.slice(eq + 1);
    else {
      if (i + 1 >= rest.length) throw new UsageError(`${flag} needs a value`);
      value = rest[++i];
    }
    switch (flag) {
      case '--json':
      case '--trace':
        if (!value) throw new UsageError(`${flag} needs a file name`);
        options[flag === '--json' ? 'json' : 'trace'] = value;
        break;
      case '--timeout':
        options.timeoutSec = number(flag, value, 0.001, MAX_TIMEOUT_SEC, 'seconds');
        break;
      case '--block-threshold':
        options.blockThresholdMs = number(flag, value, 1, MAX_BLOCK_MS, 'ms');
        break;
      case '--fail-on':
        options.failOn.push(...kinds(value, options.warnings));
        break;
      case '--duration':
        options.durationSec = number(flag, value, 0.001, MAX_TIMEOUT_SEC, 'seconds');
        break;
    }
  }
  if (attaching) {
    if (pids.length !== 1) throw new UsageError(pids.length === 0 ? 'missing the process id, e.g. async-inspector attach 4242' : `attach takes one process id, got ${pids.join(' ')}`);
    if (!/^[1-9]\d{0,9}$/.test(pids[0])) throw new UsageError(`"${pids[0]}" is not a process id`);
    const { command: _c, timeoutSec: _t, noChildren: _n, ...rest } = options;
    return { cmd: 'attach', options: { ...rest, pid: Number(pids[0]) } };
  }
  if (options.command.length === 0) throw new UsageError('missing the program to run, e.g. async-inspector run -- node app.js');
  return { cmd: 'run', options };
}
