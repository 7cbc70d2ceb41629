/**
 * The inspections the extension owns for runtime debuggers' sessions (js-debug, debugpy) that asked for
 * one (`"asyncInspector": true`, or the `followDebugSessions` setting): one per launch, opened while the
 * configuration is resolved (its channel's environment goes into the configuration), bound to its debug
 * session by the id the configuration carries, ended when the session ends or its program's agents leave.
 * Feeds the SessionTracker exactly as our own adapter's custom events do; the view shows the newest, or the
 * one whose session has the focus (focusedSession.ts).
 */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { Inspection } from '../../inspection/inspection';
import type { HelloWatch } from '../../inspection/hello-watch';
import type { AgentEnvironment } from '../../inspection/agent-env';
import type { PausedView } from '../../shared/messages';
import type { Runtime } from '../../protocol/events';
import type { SessionTracker } from '../sessionTracker';
import { DebugConsoleNotes } from './debugConsoleNotes';
import { forwardEvent, provisionalInfo, showResume, showStop, type Followed, type FollowedOutlet } from './followed';
import { INSPECTION_KEY, type DebugConfig } from './followDecision';
import { watchHello } from './helloCheck';

/** How long a restarted session that VS Code ended (to launch it again) may take to bring its new program. */
const RELAUNCH_WAIT_MS = 120_000;

/** Ended inspections kept for focus switching and saving; older ones are forgotten. */
const KEEP_ENDED = 8;

export class FollowedSessions implements vscode.Disposable {
  private readonly byId = new Map<string, Followed>();
  /** Inspections replaced at a restart (launch.json edited meanwhile: resolved again, a new inspection) → their successor. */
  private readonly replacedBy = new Map<string, string>();
  private readonly subscriptions: vscode.Disposable[];
  private readonly notes = new DebugConsoleNotes();
  private readonly outlet: FollowedOutlet;

  /** @param children ends an `async-inspector` session whose child session's program is done (childSessions.ts). */
  constructor(private readonly tracker: SessionTracker, private readonly distDir: string, children?: FollowedOutlet['children']) {
    this.outlet = { tracker, say: (text) => this.notes.sayOnce(text), children };
    this.subscriptions = [
      vscode.debug.onDidStartDebugSession((s) => {
        this.notes.sessionStarted();
        this.bind(s);
      }),
      vscode.debug.onDidTerminateDebugSession((s) => {
        for (const f of this.byId.values()) {
          if (f.session?.id !== s.id || f.end) continue;
          if (!f.restarting) void f.inspection.end();
          // VS Code relaunches it (a debugger without a restart request): the inspection waits for the new
          // program, but not for ever (the relaunch may fail, e.g. its preLaunchTask).
          else setTimeout(() => f.restarting && f.session?.id === s.id && void f.inspection.end(), RELAUNCH_WAIT_MS).unref();
        }
      }),
    ];
  }

  /** Opens an inspection for a configuration about to launch; its agent environment goes into the configuration. */
  async open(
    config: DebugConfig, runtime: Runtime, settings: { maxFinishedTasks?: number; blockThresholdMs?: number; traceChildProcesses?: boolean },
  ): Promise<{ id: string; agent: AgentEnvironment }> {
    const id = randomUUID();
    const inspection = await Inspection.listen({
      listener: (ev) => {
        const f = this.byId.get(id);
        if (f) forwardEvent(f, ev, this.outlet);
      },
      distDir: this.distDir,
      maxFinishedTasks: settings.maxFinishedTasks,
      agentConfig: {
        ...(settings.blockThresholdMs === undefined ? {} : { blockThresholdMs: settings.blockThresholdMs }),
        ...(settings.traceChildProcesses === false ? { traceChildren: false } : {}),
      },
    });
    const f: Followed = { id, runtime, inspection, session: undefined, info: provisionalInfo(config, runtime), end: undefined, stop: undefined, countAtResume: 0, hello: undefined!, restarting: false };
    f.hello = this.helloWatch(f);
    this.byId.set(id, f);
    this.prune();
    return { id, agent: inspection.agent! };
  }

  /** An inspection opened for a configuration that will not carry it after all: closed at once. */
  forget(id: string): void {
    this.byId.get(id)?.hello.stop();
    this.byId.get(id)?.inspection.killNow();
    this.byId.delete(id);
  }

  /** The followed inspection `session` belongs to: its own configuration's, or a parent's (js-debug's child targets). */
  find(session: vscode.DebugSession): Followed | undefined {
    for (let s: vscode.DebugSession | undefined = session; s; s = s.parentSession) {
      const f = this.byKey(s.configuration[INSPECTION_KEY]);
      if (f) return f;
    }
    return undefined;
  }

  /** The inspection a configuration's key names, or the one that replaced it at a restart. */
  private byKey(key: unknown): Followed | undefined {
    if (typeof key !== 'string') return undefined;
    let id = key;
    for (let next = this.replacedBy.get(id); next !== undefined; next = this.replacedBy.get(id)) id = next;
    return this.byId.get(id);
  }

  /** The newest followed inspection of a session under `session` (an `async-inspector` session that debugs: its child's). */
  under(session: vscode.DebugSession): Followed | undefined {
    return [...this.byId.values()].reverse().find((f) => f.session && f.session.id !== session.id && related(f.session, session));
  }

  /** `f`'s session has the focus: the view shows its inspection (focus on a session the view already shows changes nothing). */
  focus(f: Followed): void {
    if (f.session && this.tracker.shown?.id !== f.session.id) this.show(f);
  }

  /** The whole model of a followed session the view shows, as a reset delta (undefined for our adapter's). */
  snapshotOf(session: vscode.DebugSession): unknown {
    const f = this.find(session);
    return f && f.session?.id === session.id ? f.inspection.snapshot() : undefined;
  }

  /** The debugger stopped `f`'s program at `at`; `before` is the agents' stop count before this stop (followed.ts). */
  paused(f: Followed, stopped: vscode.DebugSession, at: Omit<PausedView, 'task'>, before: number): void {
    showStop(f, this.tracker, stopped, at, before);
  }

  /** The stopped session runs again (continue, a step). */
  resumed(f: Followed, session: vscode.DebugSession): void {
    showResume(f, this.tracker, session);
  }

  /** Says something in the Debug Console once per distinct text (an attach we cannot follow, an agent that cannot load). */
  sayOnce(text: string): void {
    this.notes.sayOnce(text);
  }

  /** The configuration's own warning already said why its program gets no agent: no second message. */
  warned(id: string): void {
    this.byId.get(id)?.hello.stop();
  }

  /**
   * A DAP event of a session of `f`'s program: the agent's hello must come soon after the first that comes
   * from the program (debugpy forwards pydevd's; for Node, js-debug's targets — its launching session speaks
   * before the program runs).
   */
  debuggeeEvent(f: Followed, session: vscode.DebugSession, event: string | undefined, systemProcessId: number | undefined): void {
    if (f.runtime === 'node') {
      if (session.id === f.session?.id) return;
      f.target ??= session;
    }
    f.hello.event(event, systemProcessId);
  }

  /**
   * A session started with an injected configuration: it owns that inspection (VS Code's relaunch of a
   * restarted session is a new object with the same id). The view shows it when nothing else runs there or
   * when it has the focus; else it waits for the focus (onDidChangeActiveDebugSession).
   */
  bind(session: vscode.DebugSession): void {
    const id: unknown = session.configuration[INSPECTION_KEY];
    const f = typeof id === 'string' ? this.byId.get(id) : undefined;
    if (!f || (f.session && f.session.id !== session.id)) return;
    if (f.session === session) return;
    if (f.session) f.restarting = false; // relaunched: its end is the inspection's end again
    f.session = session;
    // VS Code relaunched a restarted session whose configuration was resolved again (launch.json edited): a new
    // inspection under the same session id; the old one, still waiting for the relaunch, is replaced.
    for (const old of [...this.byId.values()]) if (old !== f && !old.end && old.session?.id === session.id) this.replace(old, f);
    const live = this.tracker.liveSession;
    if (!live || related(session, live) || related(session, vscode.debug.activeDebugSession)) this.show(f);
  }

  /**
   * The debugger restarts `f`'s program (Ctrl+Shift+F5: js-debug's `restart` request, or the terminate and
   * relaunch VS Code does for debuggers without it): the program comes back with the same environment, so the
   * same channel; the inspection drops the old run and the view starts empty until the new program's agent speaks.
   */
  restart(f: Followed, newKey?: unknown): void {
    // launch.json was edited since the session started: VS Code resolved the configuration again (a new inspection,
    // its key in the restart request's configuration), and the restarted program connects to that one.
    const successor = newKey !== f.id ? this.byKey(newKey) : undefined;
    if (successor && successor !== f && !successor.session) {
      successor.session = f.session;
      this.replace(f, successor);
      return;
    }
    if (f.end || !f.inspection.restart()) return;
    f.restarting = true;
    f.stop = undefined;
    f.countAtResume = 0;
    f.hello.stop();
    f.target = undefined;
    f.hello = this.helloWatch(f);
    f.info = { runtime: f.info.runtime, command: f.info.command, startEpochMs: Date.now() };
    if (f.session && this.tracker.shown?.id === f.session.id) this.show(f);
  }

  /**
   * `old`'s session goes on with `successor`'s inspection: `old` is closed and forgotten (its late events, its end,
   * must not reach the view), its key leads to the successor, and the view shows the successor if it showed `old`.
   */
  private replace(old: Followed, successor: Followed): void {
    old.hello.stop();
    this.byId.delete(old.id);
    this.replacedBy.set(old.id, successor.id);
    old.inspection.killNow();
    if (successor.session && this.tracker.shown?.id === successor.session.id) this.show(successor);
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
    for (const f of this.byId.values()) {
      f.hello.stop();
      f.inspection.killNow();
    }
    this.byId.clear();
  }

  private helloWatch(f: Followed): HelloWatch {
    return watchHello(f, () => f.hello);
  }

  private show(f: Followed): void {
    if (!f.session) return;
    const end = f.end && { exitCode: f.end.exitCode, signal: f.end.signal, report: f.end.report };
    this.tracker.showFollowed(f.session, f.info, f.inspection.snapshot(), end);
  }

  private prune(): void {
    const ended = [...this.byId.values()].filter((f) => f.end);
    for (const f of ended.slice(0, Math.max(0, ended.length - KEEP_ENDED))) this.byId.delete(f.id);
  }
}

/** True when one of the two sessions is the other or one of its ancestors (js-debug's targets, our type's child). */
function related(a: vscode.DebugSession, b: vscode.DebugSession | undefined): boolean {
  const chain = (s: vscode.DebugSession | undefined): string[] => (s ? [s.id, ...chain(s.parentSession)] : []);
  if (!b) return false;
  return chain(a).includes(b.id) || chain(b).includes(a.id);
}

