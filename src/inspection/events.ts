/**
 * What an Inspection tells its owner, in order: `session` once (the first agent's hello), `delta`s
 * (throttled; each new site's location once, in `sites`), `output` / `warning` at any time, and `ended` last (after
 * the final delta). The adapter forwards them as custom DAP events (src/adapter/custom-events.ts); the
 * CLI prints them; the extension feeds its view with them directly.
 */
import type { ModelDelta, Report, SessionInfo } from '../model/types';

/** Where a line of output belongs: the program's own streams, or the inspector's notes. */
export type OutputCategory = 'stdout' | 'stderr' | 'console';

export interface ProgramExit {
  /** The program's exit code; null when a signal ended it (or it is not known). */
  code: number | null;
  signal: string | null;
}

/** The end of an inspection (also the body of the adapter's `asyncInspector/ended` event). */
export interface InspectionEnd {
  exitCode: number | null;
  signal: string | null;
  report: Report;
}

export type InspectionEvent =
  | { type: 'session'; info: SessionInfo }
  | { type: 'delta'; delta: ModelDelta }
  /**
   * The launched program's output (a listening inspection has none: the program's owner shows it): `bytes` as
   * they came (binary output passes through unchanged), `text` the same decoded as UTF-8.
   */
  | { type: 'output'; text: string; bytes: Uint8Array; category: Exclude<OutputCategory, 'console'> }
  /** Channel, agent or inspector trouble worth telling the user, once each (plain text, no prefix). */
  | { type: 'warning'; text: string }
  | ({ type: 'ended' } & InspectionEnd);

export type InspectionListener = (event: InspectionEvent) => void;
