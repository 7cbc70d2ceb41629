/**
 * The view's side of a traced run, shared by the Node agent's tests (trace.ts) and the Python agent's
 * (test/python/model_reducer.ts): the model's delta after each batch, applied to a SessionStore as the panel
 * gets it, with what the view showed of each task over the run recorded (state, what it awaited, where).
 */
import type { InspectorModel } from '../../src/model/model';
import { idPrefixOf } from '../../src/model/processes';
import type { FlagView, Report } from '../../src/model/types';
import type { AgentEvent, AgentMessage } from '../../src/protocol/events';
import { SessionStore } from '../../src/shared/store';
import type { Said, Seen, Task } from './trace';

/** What the view showed, as JSON: each task's Seen list, every flag it showed, the ids of those standing. */
export interface Shown {
  seen: Record<string, Seen[]>;
  flags: FlagView[];
  standing: string[];
}

/** The view's side: the model's delta after each batch, applied to a SessionStore, with what it showed recorded. */
export class Viewer {
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

  /** What the view showed so far (the Python agent's tests read it as JSON). */
  shown(): Shown {
    return { seen: Object.fromEntries(this.seen), flags: [...this.everShown.values()], standing: [...this.store.flags.keys()] };
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
