/**
 * Runs a fixture program under the real launcher (agent injected through NODE_OPTIONS, private channel)
 * and indexes what the agent said, so tests read like what a user sees: tasks by name, who awaits whom.
 * The program's processes are indexed together (as before worker threads were traced); each traced worker
 * thread, its own connection with its own ids, is indexed apart in `threads`.
 */
import { join, resolve } from 'node:path';
import { launch } from '../../src/inspection/launch';
import type { AgentConfig, AgentEvent, AgentMessage } from '../../src/protocol/events';

export const repo = resolve(__dirname, '../..');
export const distDir = join(repo, 'dist');
export const fixture = (name: string): string => join(repo, 'test/fixtures/node', name);

export interface Task {
  id: number;
  kind: string;
  name: string;
  parent: number | null;
  site: { file: string; line: number; fn: string } | null;
  /** Batch sequence numbers of the create and end events. */
  createdIn: number;
  ended?: { state: string; batch: number; error?: { type: string; message: string }; result?: string };
  /** Every task this one was seen awaiting, over the whole run. */
  awaited: number[];
  states: string[];
}

/** What one connection said: a process's main thread (child processes' merged in), or a worker thread. */
export interface Said {
  messages: AgentMessage[];
  events: AgentEvent[];
  tasks: Map<number, Task>;
  named(name: string): Task[];
  one(name: string): Task;
  awaits(awaiter: Task, awaited: Task): boolean;
  rollups(): Extract<AgentEvent, { e: 'rollup' }>[];
  /** Findings still standing at the end (retracted ones excluded unless `all`). */
  findings(kind?: string, all?: boolean): Finding[];
  bye(): Extract<AgentMessage, { type: 'bye' }> | undefined;
  hello(): Extract<AgentMessage, { type: 'hello' }> | undefined;
  loops(): Extract<AgentEvent, { e: 'loop' }>[];
}

export interface Trace extends Said {
  stdout: string;
  stderr: string;
  warnings: string[];
  code: number | null;
  signal: string | null;
  ms: number;
  /** Each traced worker thread's connection, in the order they connected. */
  threads: Said[];
}

export interface RunOptions {
  args?: string[];
  env?: Record<string, string | undefined>;
  /** Called with the launched program once it prints `ready` (for kill tests). */
  onReady?: (kill: (signal?: NodeJS.Signals) => void) => void;
  runtimeArgs?: string[];
  agentConfig?: AgentConfig;
}

type Site = { file: string; line: number; fn: string };

/** A `finding` with its sites resolved, and whether a later `retract` withdrew it. */
export interface Finding {
  kind: string;
  message: string;
  site: Site | null;
  stack: Site[];
  task: number | null;
  dur?: number;
  error?: { type: string; message: string; stack?: Site[] };
  key?: string;
  retracted: boolean;
}

export async function runTraced(file: string, opts: RunOptions = {}): Promise<Trace> {
  const byConn = new Map<number, AgentMessage[]>();
  let stdout = '';
  let stderr = '';
  const warnings: string[] = [];
  const started = Date.now();
  let killer: ((signal?: NodeJS.Signals) => void) | undefined;
  let readySent = false;
  const program = await launch(
    { command: ['node', ...(opts.runtimeArgs ?? []), file, ...(opts.args ?? [])], cwd: repo, env: opts.env, distDir, agentConfig: opts.agentConfig },
    {
      message: (conn, msg) => {
        const list = byConn.get(conn) ?? [];
        byConn.set(conn, list);
        list.push(msg);
      },
      stdout: (d) => {
        stdout += d;
        if (!readySent && killer && opts.onReady && stdout.includes('ready')) {
          readySent = true;
          opts.onReady(killer);
        }
      },
      stderr: (d) => (stderr += d),
      warning: (t) => warnings.push(t),
      exit: () => undefined,
    },
  );
  killer = (signal) => program.kill(signal);
  if (!readySent && opts.onReady && stdout.includes('ready')) {
    readySent = true;
    opts.onReady(killer);
  }
  const { code, signal } = await program.exited;
  const conns = [...byConn.keys()].sort((a, b) => a - b).map((c) => byConn.get(c)!);
  const isThread = (list: AgentMessage[]): boolean => list.some((m) => m.type === 'hello' && m.threadId !== undefined);
  return {
    ...index(conns.filter((l) => !isThread(l)).flat()),
    threads: conns.filter(isThread).map(index),
    stdout, stderr, warnings, code, signal, ms: Date.now() - started,
  };
}

function index(messages: AgentMessage[]): Said {
  const events: AgentEvent[] = [];
  const sites = new Map<number, Task['site']>();
  const tasks = new Map<number, Task>();
  const findings: Finding[] = [];
  const siteList = (ids: number[] | undefined): Site[] => (ids ?? []).map((id) => sites.get(id)).filter((x): x is Site => !!x);
  for (const msg of messages) {
    if (msg.type !== 'batch') continue;
    for (const e of msg.events) {
      events.push(e);
      switch (e.e) {
        case 'site':
          sites.set(e.id, { file: e.file, line: e.line, fn: e.fn });
          break;
        case 'create':
          tasks.set(e.id, {
            id: e.id, kind: e.kind, name: e.name, parent: e.parent, site: e.site === null ? null : sites.get(e.site) ?? null,
            createdIn: msg.seq, awaited: [], states: [],
          });
          break;
        case 'await':
          tasks.get(e.id)?.awaited.push(...e.on);
          break;
        case 'state':
          tasks.get(e.id)?.states.push(e.state);
          break;
        case 'end': {
          const t = tasks.get(e.id);
          if (t) t.ended = { state: e.state, batch: msg.seq, error: e.error, result: e.result };
          break;
        }
        case 'finding':
          findings.push({
            kind: e.kind, message: e.message, site: e.site === null ? null : sites.get(e.site) ?? null, stack: siteList(e.stack),
            task: e.task ?? null, dur: e.dur, key: e.key, retracted: false,
            ...(e.error ? { error: { type: e.error.type, message: e.error.message, stack: siteList(e.error.stack) } } : {}),
          });
          break;
        case 'retract':
          for (const f of findings) if (f.key === e.key) f.retracted = true;
          break;
        case 'name': {
          const t = tasks.get(e.id);
          if (t) t.name = e.name;
          break;
        }
        default:
          break;
      }
    }
  }
  const named = (name: string): Task[] => [...tasks.values()].filter((t) => t.name === name || t.name.startsWith(`${name} `));
  return {
    messages, events, tasks, named,
    one(name) {
      const found = named(name);
      if (found.length !== 1) throw new Error(`expected one task named ${name}, found ${found.length}: ${[...tasks.values()].map((t) => t.name).join(', ')}`);
      return found[0];
    },
    awaits: (awaiter, awaited) => awaiter.awaited.includes(awaited.id),
    rollups: () => events.filter((e): e is Extract<AgentEvent, { e: 'rollup' }> => e.e === 'rollup'),
    findings: (kind, all = false) => findings.filter((f) => (kind === undefined || f.kind === kind) && (all || !f.retracted)),
    bye: () => messages.find((m): m is Extract<AgentMessage, { type: 'bye' }> => m.type === 'bye'),
    hello: () => messages.find((m): m is Extract<AgentMessage, { type: 'hello' }> => m.type === 'hello'),
    loops: () => events.filter((e): e is Extract<AgentEvent, { e: 'loop' }> => e.e === 'loop'),
  };
}
