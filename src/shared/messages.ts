/**
 * The protocol between the extension host and the Tasks webview, both ways, in one place. Requests
 * (view → host) carry an `id`; the reply names it in `replyTo`, so a view that asked twice knows which
 * answer is the latest. Everything else is a one-way notification.
 *
 * Deltas travel as the model made them from the adapter to the view: tasks name their source locations
 * by SiteId, and each site's Location comes once, in the `sites` of the first delta after it was defined
 * (the view keeps the table and resolves ids when it draws). The host validates each delta once, where it
 * enters (sessionTracker → checkDelta), and posts that same object on; the view trusts what its host sends.
 * What the view sends is untrusted (a webview can be scripted) and checked here field by field.
 */
import type { ModelDelta, SessionInfo } from '../model/types';
import { isLineNumber, isNullable, isNumber, isOptional, isRecord, isString, type Json } from './guards';
import { isSessionInfo } from './modelGuards';

export interface ExitInfo {
  exitCode: number | null;
  signal: string | null;
}

/**
 * What a SessionStore applies, in order: the host's tracker emits these, posts them as they are, and the
 * view applies what it is posted.
 */
export type SessionMessage =
  /**
   * Forget everything shown; start showing `session` (null: no session, an empty view). `uninspected`: the name
   * of the debug session in focus, which the inspector does not follow (the view says so instead of showing nothing).
   */
  | { type: 'reset'; session: SessionInfo | null; uninspected?: string }
  /** Apply a model delta (reset: true replaces the tasks). */
  | { type: 'delta'; delta: ModelDelta }
  /** The program ended; the view keeps showing its last state. */
  | ({ type: 'ended' } & ExitInfo)
  /** A debugger stopped the program (`paused`: where, and the task whose code is paused), or let it go (null). */
  | { type: 'paused'; paused: PausedView | null };

/** A debugger stop as the view shows it. Program strings: rendered as text only. */
export interface PausedView {
  /** The task whose code is paused, null when none was running (or the agent did not say). */
  task: string | null;
  file?: string;
  line?: number;
  function?: string;
}

/** The whole state of the shown session: a reply to `ready` and `requestSnapshot`. */
export interface SessionState {
  session: SessionInfo | null;
  /** Everything held (reset: true); null when there is no session. */
  snapshot: ModelDelta | null;
  /** Set once the program ended. */
  exit: ExitInfo | null;
  /** Where a debugger holds the running program, if one does. */
  paused?: PausedView | null;
  /** No session shown because the debug session in focus (this name) is not inspected. */
  uninspected?: string;
}

/** Extension → webview, as posted. */
export type ExtToViewMessage =
  | SessionMessage
  | ({ type: 'state'; replyTo: number } & SessionState);

/** Webview → extension. */
export type ViewToExtMessage =
  /** Request: the webview script is loaded and listening; the reply is a `state`. */
  | { type: 'ready'; id: number }
  /** Request: the view lost track (a delta before any reset, progress for a task it never got); the reply is a `state`. */
  | { type: 'requestSnapshot'; id: number }
  /** Notification: open the editor at a program location (a task's creation site). */
  | { type: 'openLocation'; file: string; line: number; col?: number };

export type ViewRequest = Extract<ViewToExtMessage, { id: number }>;

/** What the views say while the debug session in focus is one the inspector does not follow (`name`: shown as text). */
export function uninspectedText(name: string): string {
  return `The debug session in focus, "${name}", is not inspected. Focus an inspected session to see its tasks, or add ` +
    '"asyncInspector": true to its launch configuration (or set asyncInspector.followDebugSessions to "all") and start it again.';
}

/** Longest path the view may ask to open; anything longer is not a real file path. */
export const MAX_PATH_LENGTH = 4096;

/** The view side: what a posted message means for the store, and the request it answers if any. */
export function parseExtToView(v: Json): { replyTo?: number; messages: SessionMessage[] } | undefined {
  if (!isRecord(v)) return undefined;
  switch (v.type) {
    case 'reset':
      return isNullable(v.session, isSessionInfo) && isOptional(v.uninspected, isString) ? { messages: [reset(v.session, v.uninspected)] } : undefined;
    case 'delta':
      return isRecord(v.delta) ? { messages: [{ type: 'delta', delta: trusted(v.delta) }] } : undefined;
    case 'ended':
      return isExitInfo(v) ? { messages: [{ type: 'ended', exitCode: v.exitCode, signal: v.signal }] } : undefined;
    case 'state': {
      if (!isNumber(v.replyTo) || !isNullable(v.session, isSessionInfo) || !isNullable(v.exit, isExitInfo) || !isOptional(v.uninspected, isString)) return undefined;
      const messages: SessionMessage[] = [reset(v.session, v.uninspected)];
      if (isRecord(v.snapshot)) messages.push({ type: 'delta', delta: trusted(v.snapshot) });
      if (v.exit) messages.push({ type: 'ended', ...v.exit });
      else if (isPausedView(v.paused)) messages.push({ type: 'paused', paused: v.paused });
      return { replyTo: v.replyTo, messages };
    }
    case 'paused':
      return isNullable(v.paused, isPausedView) ? { messages: [{ type: 'paused', paused: v.paused }] } : undefined;
    default:
      return undefined;
  }
}

function reset(session: SessionInfo | null, uninspected: string | undefined): SessionMessage {
  return uninspected === undefined ? { type: 'reset', session } : { type: 'reset', session, uninspected };
}

export function parseViewToExt(v: Json): ViewToExtMessage | undefined {
  if (!isRecord(v)) return undefined;
  switch (v.type) {
    case 'ready':
    case 'requestSnapshot':
      return isRequestId(v.id) ? { type: v.type, id: v.id } : undefined;
    case 'openLocation': {
      const { file, line, col } = v;
      if (!isString(file) || file.length === 0 || file.length > MAX_PATH_LENGTH || /[\0\r\n]/.test(file)) return undefined;
      if (!isLineNumber(line) || !isOptional(col, isLineNumber)) return undefined;
      return col === undefined ? { type: 'openLocation', file, line } : { type: 'openLocation', file, line, col };
    }
    default:
      return undefined;
  }
}

/** A delta the host validated where it entered (or built itself). */
function trusted(delta: Record<string, unknown>): ModelDelta {
  return delta as unknown as ModelDelta;
}

function isPausedView(v: Json): v is PausedView {
  if (!isRecord(v) || !isNullable(v.task, isString)) return false;
  return isOptional(v.file, isString) && isOptional(v.line, isLineNumber) && isOptional(v.function, isString);
}

function isExitInfo(v: Json): v is ExitInfo {
  return isRecord(v) && isNullable(v.exitCode, isNumber) && isNullable(v.signal, isString);
}

function isRequestId(v: Json): v is number {
  return isNumber(v) && Number.isInteger(v) && v >= 0;
}
