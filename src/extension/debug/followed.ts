/**
 * One program the panel follows under a runtime's own debugger: its inspection, the debug session that owns
 * it, what the view shows of it, and how its inspection's events reach the view (the SessionTracker, as our
 * own adapter's custom events do). Held by its debugger, the view shows "Paused" at the debugger's stop, the
 * paused task as soon as the agents' `paused` event for that stop is in (it may come before or after the
 * debugger's `stopped` event), and live updates again when the stopped session runs on.
 */
import type * as vscode from 'vscode';
import { CUSTOM_EVENT } from '../../adapter/custom-events';
import type { InspectionEnd, InspectionEvent } from '../../inspection/events';
import type { Inspection } from '../../inspection/inspection';
import type { HelloWatch } from '../../inspection/hello-watch';
import type { SessionInfo } from '../../model/types';
import type { PausedView } from '../../shared/messages';
import type { Runtime } from '../../protocol/events';
import { DEBUG_TYPE } from '../constants';
import type { SessionTracker } from '../sessionTracker';
import type { DebugConfig } from './followDecision';

export interface Followed {
  readonly id: string;
  readonly runtime: Runtime;
  readonly inspection: Inspection;
  /** The debug session that launched the program (js-debug's child targets are under it). */
  session: vscode.DebugSession | undefined;
  info: SessionInfo;
  end: InspectionEnd | undefined;
  /** The debugger holds the program: where, and the agents' stop count before it (their `paused` event may come later). */
  stop: { at: PausedView; before: number; session: string } | undefined;
  /**
   * The agents' stop count when the program last went on. A stop's own `paused` event counts after it, even
   * one that came before the debugger's `stopped` event: the Python agent notices the stop itself, often
   * before debugpy's event has gone through its adapter to VS Code.
   */
  countAtResume: number;
  /** Says once in the Debug Console when the program's agent never said hello (Python: -I, -E, -S, a lost PYTHONPATH). */
  hello: HelloWatch;
  /** Node: the first js-debug target of the program (asked whether the agent loaded when no hello came). */
  target?: vscode.DebugSession;
  /** The debugger restarts the program (its session may end and start again): not the end of the inspection. */
  restarting: boolean;
}

/** Where a followed program's events go. */
export interface FollowedOutlet {
  tracker: SessionTracker;
  /** Says something in the Debug Console once per distinct text. */
  say(text: string): void;
  /** Ends an `async-inspector` session whose child session's program is done (childSessions.ts). */
  children?: { programEnded(child: vscode.DebugSession): void };
}

/** An event of `f`'s inspection, to the view (a warning to the Debug Console). */
export function forwardEvent(f: Followed, ev: InspectionEvent, out: FollowedOutlet): void {
  switch (ev.type) {
    case 'session':
      f.restarting = false;
      f.info = ev.info;
      f.hello.hello(ev.info.pid);
      if (f.session) out.tracker.receive(f.session, CUSTOM_EVENT.session, ev.info);
      return;
    case 'delta':
      if (f.session) out.tracker.receive(f.session, CUSTOM_EVENT.delta, ev.delta);
      pausedTaskArrived(f, out.tracker);
      return;
    case 'ended':
      f.end = { exitCode: ev.exitCode, signal: ev.signal, report: ev.report };
      f.hello.stop();
      if (f.session) out.tracker.receive(f.session, CUSTOM_EVENT.ended, f.end);
      // The program of an `async-inspector` session that debugs (childSessions.ts) is done: that session too.
      if (f.session?.parentSession?.type === DEBUG_TYPE) out.children?.programEnded(f.session);
      return;
    case 'warning':
      out.say(`Async Inspector: ${ev.text}`);
      return;
    case 'output':
      return; // a listening inspection has none: the debugger shows the program's output
    default: {
      const unknown: never = ev;
      void unknown;
    }
  }
}

/** What the view shows from F5 until the agent's hello arrives. */
export function provisionalInfo(config: DebugConfig, runtime: Runtime): SessionInfo {
  const program = typeof config.program === 'string' ? config.program : typeof config.command === 'string' ? config.command : config.name;
  return { runtime, command: [runtime, program], startEpochMs: Date.now() };
}

export function showStop(
  f: Followed, tracker: SessionTracker, stopped: vscode.DebugSession, at: Omit<PausedView, 'task'>, before: number,
): void {
  f.inspection.flushDeltas();
  f.stop = { at: { ...at, task: pausedTask(f, before) }, before, session: stopped.id };
  if (f.session) tracker.setPaused(f.session, f.stop.at);
}

/** The stopped session runs again (continue, a step): live updates resume. Other targets' resumes are theirs. */
export function showResume(f: Followed, tracker: SessionTracker, session: vscode.DebugSession): void {
  f.countAtResume = f.inspection.paused?.count ?? 0;
  if (!f.stop || f.stop.session !== session.id) return;
  f.stop = undefined;
  if (f.session) tracker.setPaused(f.session, null);
}

/** A delta came in while the program is stopped: the paused task shows once the agents named it. */
export function pausedTaskArrived(f: Followed, tracker: SessionTracker): void {
  if (f.stop && f.stop.at.task === null && pausedTask(f, f.stop.before) !== null) {
    f.stop.at = { ...f.stop.at, task: pausedTask(f, f.stop.before) };
    if (f.session) tracker.setPaused(f.session, f.stop.at);
  }
}

/** The task the agents named at the stop counted after `before`, or null (not yet, or none running). */
function pausedTask(f: Followed, before: number): string | null {
  const p = f.inspection.paused;
  return p && p.count > before ? p.task : null;
}
