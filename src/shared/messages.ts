/**
 * The typed messages between the extension host and the Tasks webview, both ways, with the validators
 * each side runs on what it receives (a message that fails validation is dropped, never half-applied).
 * Shared by src/extension/ and the browser bundle; pure.
 */
import { unpackDelta } from '../model/delta-sites';
import type { ModelDelta, SessionInfo } from '../model/types';
import { isLineNumber, isNullable, isNumber, isOptional, isRecord, isString, type Json } from './guards';
import { isSessionInfo, sanitizeDelta } from './modelGuards';

/** Extension → webview. */
export type ExtToViewMessage =
  /** Forget everything shown; start showing `session` (null: no session, an empty view). */
  | { type: 'reset'; session: SessionInfo | null }
  /** Apply a model delta (reset: true replaces the tasks). */
  | { type: 'delta'; delta: ModelDelta }
  /** The program ended; the view keeps showing its last state. */
  | { type: 'ended'; exitCode: number | null; signal: string | null };

/** Webview → extension. */
export type ViewToExtMessage =
  /** The webview script is loaded and listening: send it the current state. */
  | { type: 'ready' }
  /** Open the editor at a program location (a task's creation site). */
  | { type: 'openLocation'; file: string; line: number; col?: number }
  /** The view lost track (a delta before any reset): send a fresh snapshot. */
  | { type: 'requestSnapshot' };

/** Longest path the view may ask to open; anything longer is not a real file path. */
export const MAX_PATH_LENGTH = 4096;

export function parseExtToView(v: Json): ExtToViewMessage | undefined {
  if (!isRecord(v)) return undefined;
  switch (v.type) {
    case 'reset':
      return isNullable(v.session, isSessionInfo) ? { type: 'reset', session: v.session } : undefined;
    case 'delta': {
      const checked = sanitizeDelta(unpackDelta(v.delta));
      if (checked && checked.invalid > 0) console.warn(`async-inspector: left out ${checked.invalid} malformed record(s) of a delta`);
      return checked ? { type: 'delta', delta: checked.delta } : undefined;
    }
    case 'ended':
      return isNullable(v.exitCode, isNumber) && isNullable(v.signal, isString)
        ? { type: 'ended', exitCode: v.exitCode, signal: v.signal }
        : undefined;
    default:
      return undefined;
  }
}

export function parseViewToExt(v: Json): ViewToExtMessage | undefined {
  if (!isRecord(v)) return undefined;
  switch (v.type) {
    case 'ready':
      return { type: 'ready' };
    case 'requestSnapshot':
      return { type: 'requestSnapshot' };
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
