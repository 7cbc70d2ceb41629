/**
 * Follows `async-inspector` debug sessions: turns their custom DAP events into view messages, keeps a
 * mirror of what the view shows (so a view opened later, or after the program ended, gets the whole
 * state) and the last report. The newest session wins; events of older ones are ignored.
 */
import * as vscode from 'vscode';
import { CUSTOM_EVENT, SNAPSHOT_REQUEST } from '../adapter/custom-events';
import type { FlagView, Report, SessionInfo } from '../model/types';
import type { PausedView, SessionMessage, SessionState } from '../shared/messages';
import { isRecord } from '../shared/guards';
import { isReportedFile } from '../shared/reported-files';
import { checkDelta, isSessionInfo } from '../shared/modelGuards';
import { ProcessIndex } from '../shared/processes';
import { SessionStore } from '../shared/store';
import { CONTEXT, DEBUG_TYPE } from './constants';
import { reportToMessages, storeToReport } from './sessionFiles';

/** A view waits at most this long for the adapter's snapshot before it gets the mirror's state. */
const SNAPSHOT_TIMEOUT_MS = 3000;

export type ViewMessageListener = (msg: SessionMessage) => void;

export class SessionTracker implements vscode.Disposable {
  private readonly mirror = new SessionStore();
  private processIndex = new ProcessIndex([]);
  private readonly listeners = new Set<ViewMessageListener>();
  private readonly subscriptions: vscode.Disposable[];
  /** The session the view shows (it may have ended). */
  private current: vscode.DebugSession | undefined;
  private lastReport: Report | undefined;
  /** The view shows a session opened from a file: a running program's late hello must not replace it. */
  private showingFile = false;
  /** The debug session in focus is one nothing inspects: the view says so (until the focus moves on). */
  private uninspected: vscode.DebugSession | undefined;
  /** The latest session info of each of our adapter's sessions (its agent's hello), to show it again when it gets the focus. */
  private readonly infos = new Map<string, SessionInfo>();

  /**
   * @param snapshotOf the whole model of a session whose inspection the extension itself owns (a followed
   *   runtime debugger's session), as a reset delta; undefined for our adapter's sessions (asked by DAP).
   */
  constructor(private readonly snapshotOf: (session: vscode.DebugSession) => unknown = () => undefined) {
    this.subscriptions = [
      vscode.debug.onDidStartDebugSession((s) => {
        if (s.type === DEBUG_TYPE) this.begin(s, provisionalInfo(s.configuration));
      }),
      vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
        if (e.session.type === DEBUG_TYPE) this.receive(e.session, e.event, e.body);
      }),
      vscode.debug.onDidTerminateDebugSession((s) => {
        this.infos.delete(s.id);
        if (s.id === this.uninspected?.id) {
          this.uninspected = undefined;
          this.emit({ type: 'reset', session: null });
        }
        // A session of our adapter that ended without its 'ended' event (it failed to launch, or was killed). Not a
        // followed runtime debugger's session: its inspection still drains and ends after it (followedSessions.ts),
        // and the final delta and report it then sends must not arrive after an ended already shown.
        if (s.type === DEBUG_TYPE && s.id === this.current?.id && this.mirror.status === 'running') this.emit({ type: 'ended', exitCode: null, signal: null });
      }),
    ];
  }

  /** The session whose program is still running, if the view shows one. */
  get liveSession(): vscode.DebugSession | undefined {
    return this.mirror.status === 'running' ? this.current : undefined;
  }

  /** The flags of the shown session, as of the last message. */
  flags(): Iterable<FlagView> {
    return this.mirror.flags.values();
  }

  /** The program's processes, as the view shows them (flags name theirs when there are several). */
  processes(): ProcessIndex {
    if (this.processIndex.list !== this.mirror.processes) this.processIndex = new ProcessIndex(this.mirror.processes);
    return this.processIndex;
  }

  /** Counts for a running session (undefined when none runs). */
  summary(): { pending: number; running: number; flags: number } | undefined {
    if (this.mirror.status !== 'running') return undefined;
    const { pending, running } = this.mirror.counts;
    return { pending, running, flags: this.mirror.flags.size };
  }

  /** Whether the shown session's program reported `file` (jump-to-source opens nothing else). */
  reported(file: string): boolean {
    return isReportedFile(this.mirror, file);
  }

  get report(): Report | undefined {
    return this.lastReport;
  }

  /**
   * The shown session as a report: the adapter's final report once the program ended, else (still
   * running, or the adapter sent none) one built from what the view holds.
   */
  currentReport(): Report | undefined {
    return this.lastReport ?? storeToReport(this.mirror);
  }

  /** Shows a saved report in the view, as an ended session (a running program is no longer followed). */
  openReport(report: Report): void {
    this.current = undefined;
    this.uninspected = undefined;
    for (const msg of reportToMessages(report)) this.emit(msg);
    this.lastReport = report;
    this.showingFile = true;
  }

  onMessage(listener: ViewMessageListener): vscode.Disposable {
    this.listeners.add(listener);
    return new vscode.Disposable(() => this.listeners.delete(listener));
  }

  /** The whole state, for a fresh view (asks a live adapter for a snapshot first). */
  async state(): Promise<SessionState> {
    const live = this.liveSession;
    if (live) {
      try {
        const answer = this.snapshotOf(live) ?? await withTimeout(Promise.resolve(live.customRequest(SNAPSHOT_REQUEST)), SNAPSHOT_TIMEOUT_MS);
        const snapshot = checkDelta(answer)?.delta;
        // Deltas newer than the snapshot may have arrived while it was on its way; keep those.
        if (snapshot && snapshot.seq > this.mirror.seq && live === this.current) {
          this.mirror.apply({ type: 'delta', delta: snapshot });
        }
      } catch {
        // The program ended meanwhile, or the adapter is gone: the mirror has everything that arrived.
      }
    }
    const { session, status, exit, uninspected } = this.mirror;
    if (!session) return { session: null, snapshot: null, exit: null, ...(uninspected === null ? {} : { uninspected }) };
    return {
      session, snapshot: this.mirror.snapshot(), exit: status === 'ended' ? exit ?? { exitCode: null, signal: null } : null,
      paused: status === 'running' ? this.mirror.paused : null,
    };
  }

  /** Forgets the shown session; a running one is no longer followed (until the next session starts). */
  clear(): void {
    this.current = undefined;
    this.uninspected = undefined;
    this.lastReport = undefined;
    this.emit({ type: 'reset', session: null });
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
    this.listeners.clear();
  }

  /**
   * Shows a session whose inspection the extension owns (a runtime debugger's, followed): when it starts,
   * or when it gets the focus again, with what its inspection holds (`snapshot`, a reset delta) and its end if over.
   */
  showFollowed(session: vscode.DebugSession, info: SessionInfo, snapshot?: unknown, end?: unknown): void {
    this.begin(session, info);
    if (snapshot !== undefined) this.receive(session, CUSTOM_EVENT.delta, snapshot);
    if (end !== undefined) this.receive(session, CUSTOM_EVENT.ended, end);
  }

  /** A debugger stopped the shown session's program (`paused`), or let it run again (null). */
  setPaused(session: vscode.DebugSession, paused: PausedView | null): void {
    if (session.id !== this.current?.id) return;
    if (paused === null && this.mirror.paused === null) return;
    this.emit({ type: 'paused', paused });
  }

  /** Where the shown program is stopped, if a debugger holds it. */
  get paused(): PausedView | null {
    return this.mirror.status === 'running' ? this.mirror.paused : null;
  }

  /** What the view holds now (tasks, loops, totals): the Async Tasks view reads it. */
  get store(): Readonly<SessionStore> {
    return this.mirror;
  }

  /** The session the view shows (running or ended), if any. */
  get shown(): vscode.DebugSession | undefined {
    return this.current;
  }

  /**
   * The debug session in focus is one of our adapter's: the view shows it again (its last session info, then the
   * adapter's snapshot of everything its inspection holds; deltas go on as they come).
   */
  async focusAdapterSession(session: vscode.DebugSession): Promise<void> {
    if (session.id === this.current?.id) return;
    this.begin(session, this.infos.get(session.id) ?? provisionalInfo(session.configuration));
    try {
      const snapshot = checkDelta(await withTimeout(Promise.resolve(session.customRequest(SNAPSHOT_REQUEST)), SNAPSHOT_TIMEOUT_MS))?.delta;
      if (snapshot && session === this.current && snapshot.seq > this.mirror.seq) this.emit({ type: 'delta', delta: snapshot });
    } catch {
      // Its program ended meanwhile, or the adapter is gone: the deltas that come still show.
    }
  }

  /** The debug session in focus is one nothing inspects: the views say so (a saved session being shown stays). */
  showUninspected(session: vscode.DebugSession): void {
    if (this.showingFile || session.id === this.uninspected?.id) return;
    this.current = undefined;
    this.lastReport = undefined;
    this.uninspected = session;
    this.emit({ type: 'reset', session: null, uninspected: session.name });
  }

  private begin(session: vscode.DebugSession, info: SessionInfo): void {
    this.current = session;
    this.uninspected = undefined;
    this.showingFile = false;
    this.lastReport = undefined;
    this.emit({ type: 'reset', session: info });
  }

  /**
   * One of our adapter's custom events, or the same event from an inspection the extension owns for a
   * runtime debugger's session (src/extension/debug/followedSessions.ts): both feed the view alike.
   */
  receive(session: vscode.DebugSession, event: string, body: unknown): void {
    switch (event) {
      case CUSTOM_EVENT.session:
        // The agent said hello: the real pid and command replace the provisional info (no tasks yet).
        if (!isSessionInfo(body)) return;
        if (session.type === DEBUG_TYPE) this.infos.set(session.id, body);
        if (session.id === this.current?.id || (!this.current && !this.showingFile && !this.uninspected)) this.begin(session, body);
        return;
      case CUSTOM_EVENT.delta: {
        // Validated once, here; then it goes on to the mirror and the view as it came.
        const checked = session.id === this.current?.id ? checkDelta(body) : undefined;
        if (checked) this.emit({ type: 'delta', delta: checked.delta });
        return;
      }
      case CUSTOM_EVENT.ended:
        if (session.id !== this.current?.id || !isRecord(body)) return;
        this.lastReport = isRecord(body.report) ? (body.report as unknown as Report) : undefined;
        this.emit({
          type: 'ended',
          exitCode: typeof body.exitCode === 'number' ? body.exitCode : null,
          signal: typeof body.signal === 'string' ? body.signal : null,
        });
        return;
      default:
        return;
    }
  }

  private emit(msg: SessionMessage): void {
    if (this.mirror.apply(msg) !== 'applied') return;
    if (msg.type === 'reset') void vscode.commands.executeCommand('setContext', CONTEXT.hasSession, msg.session !== null);
    for (const listener of this.listeners) listener(msg);
  }
}

/** What the view shows from F5 until the agent's hello arrives. */
function provisionalInfo(config: vscode.DebugConfiguration): SessionInfo {
  const runtime = config.runtime === 'python' ? 'python' : 'node';
  const exe = typeof config.runtimeExecutable === 'string' ? config.runtimeExecutable : runtime === 'python' ? 'python3' : 'node';
  const args = Array.isArray(config.args) ? config.args.map(String) : [];
  return { runtime, command: [exe, String(config.program ?? ''), ...args], startEpochMs: Date.now() };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
