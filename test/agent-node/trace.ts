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
import { idPrefixOf } from '../../src/model/processes';
import type { FlagView, Location, Report, ReportTask } from '../../src/model/types';
import type { TaskState } from '../../src/protocol/events';
import type { AgentConfig, AgentEvent, AgentMessage } from '../../src/protocol/events';
import { SessionStore } from '../../src/shared/store';

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

/** The view's side: the model's delta after each batch, applied to a SessionStore, with what it showed recorded. */
class Viewer {
  private readonly store = new SessionStore();
  private readonly seen = new Map<string, Seen[]>();
  private readonly everShown = new Map<string, FlagView>();

  constructor(private readonly model: InspectorModel) {}

  apply(conn: number, msg: AgentMessage): void {
    this.model.apply(conn, msg);
    if (msg.type === 'hello' && this.model.info && this.store.status === 'idle') this.store.apply({ type: 'reset', session: this.model.info });
    if (msg.type === 'batch' || msg.type === 'bye') this.update();
  }

  /** Takes the model's delta (if anything changed) into the store, and notes what it showed. */
  update(): void {
    const delta = this.model.takeDelta();
    if (!delta || this.store.status === 'idle') return;
    this.store.apply({ type: 'delta', delta });
    for (const { id } of [...delta.upserts, ...(delta.progress ?? [])]) {
      const t = this.store.tasks.get(id);
      if (!t) continue;
      const list = this.seen.get(id) ?? [];
      this.seen.set(id, list);
      list.push({ state: t.state, awaiting: t.awaiting, awaitAt: this.store.site(t.awaitAt) });
    }
    for (const f of delta.flags) this.everShown.set(f.id, f);
  }

  /** The report's tasks and the view's flags of the connections whose id prefixes are `prefixes`. */
  said(report: Report, messages: AgentMessage[], prefixes: Set<string>): Said {
    const mine = (id: string | null): boolean => id !== null && prefixes.has(idPrefixOf(id));
    const tasks = new Map<string, Task>();
    for (const t of report.tasks) {
      if (!mine(t.id)) continue;
      const seen = this.seen.get(t.id) ?? [];
      tasks.set(t.id, {
        ...t, seen,
        awaited: [...new Set(seen.flatMap((s) => s.awaiting))],
        states: seen.map((s) => s.state).filter((s, i, all) => i === 0 || s !== all[i - 1]),
      });
    }
    const standing = new Set(this.store.flags.keys());
    const flags = [...this.everShown.values()].filter((f) => f.task === null ? prefixes.has('') : mine(f.task));
    const events = messages.flatMap((m) => (m.type === 'batch' ? m.events : []));
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
      findings: (kind, all = false) => flags.filter((f) => (kind === undefined || f.kind === kind) && (all || standing.has(f.id))),
      bye: () => messages.find((m): m is Extract<AgentMessage, { type: 'bye' }> => m.type === 'bye'),
      hello: () => messages.find((m): m is Extract<AgentMessage, { type: 'hello' }> => m.type === 'hello'),
      loops: () => events.filter((e): e is Extract<AgentEvent, { e: 'loop' }> => e.e === 'loop'),
    };
  }
}
