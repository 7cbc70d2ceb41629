/**
 * Runs a fixture program under the real launcher (agent injected through NODE_OPTIONS, private channel) and
 * reduces what the agent said through the real model, as the panel does: after each batch the model's delta
 * goes to a SessionStore (the view's store), so a test can ask what the view showed over the run (who awaited
 * whom, the states it went through) and, at the end, what the report holds (tasks, flags, lints included).
 * The agent's raw messages stay readable for what is about the wire itself (hello, bye, rollups, event counts).
 * A process's main-thread connections are read together (child processes included); each traced worker
 * thread, a connection of its own, apart in `threads`.
 */
import { join, resolve } from 'node:path';
import { launch } from '../../src/inspection/launch';
import { InspectorModel } from '../../src/model/model';
import type { FlagView, Location, Report, ReportTask } from '../../src/model/types';
import type { TaskState } from '../../src/protocol/events';
import type { AgentConfig, AgentEvent, AgentMessage } from '../../src/protocol/events';
import { Viewer } from './viewer';

export const repo = resolve(__dirname, '../..');
export const distDir = join(repo, 'dist');
export const fixture = (name: string): string => join(repo, 'test/fixtures/node', name);

/** What the view showed of a task after one of the model's deltas. */
export interface Seen {
  state: TaskState;
  awaiting: string[];
  awaitAt: Location | null;
}

/** A task as the report keeps it, with what the view showed of it over the run. */
export interface Task extends ReportTask {
  /** After each delta that changed it, in order (the first: when the view first showed it). */
  seen: Seen[];
  /** Every task the view showed this one awaiting, over the whole run. */
  awaited: string[];
  /** The states the view showed it in, in order. */
  states: TaskState[];
}

/** A flag as the view showed it (the report's flags, lints included; withdrawn ones only when asked). */
export type Finding = FlagView;

/** What one group of connections said: a process's main thread (child processes' merged in), or a worker thread. */
export interface Said {
  messages: AgentMessage[];
  events: AgentEvent[];
  tasks: Map<string, Task>;
  named(name: string): Task[];
  one(name: string): Task;
  /** Whether the view ever showed `awaiter` awaiting `awaited`. */
  awaits(awaiter: Task, awaited: Task): boolean;
  rollups(): Extract<AgentEvent, { e: 'rollup' }>[];
  /** Flags standing at the end (`all`: every flag the view showed, withdrawn ones too). */
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
  /** The model's report at the end (what `--json` writes). */
  report: Report;
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

/** Every finished task kept: a test looks tasks up by name after the run. */
const KEEP_ALL = 1_000_000_000;

export async function runTraced(file: string, opts: RunOptions = {}): Promise<Trace> {
  const byConn = new Map<number, AgentMessage[]>();
  const model = new InspectorModel({ maxFinishedTasks: KEEP_ALL });
  const view = new Viewer(model);
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
        view.apply(conn, msg);
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
  model.finish({ code, signal });
  view.update();
  const report = model.report({ command: ['node', file] });
  const conns = [...byConn.keys()].sort((a, b) => a - b);
  const isThread = (c: number): boolean => byConn.get(c)!.some((m) => m.type === 'hello' && m.threadId !== undefined);
  const group = (cs: number[]): Said => view.said(report, cs.flatMap((c) => byConn.get(c)!), new Set(cs.map(prefixOf)));
  return {
    ...group(conns.filter((c) => !isThread(c))),
    threads: conns.filter(isThread).map((c) => group([c])),
    stdout, stderr, warnings, code, signal, ms: Date.now() - started, report,
  };
}

/** The model numbers connections from 0; their ids are prefixed "", "p1:", "p2:" … */
const prefixOf = (conn: number): string => (conn === 0 ? '' : `p${conn}:`);
