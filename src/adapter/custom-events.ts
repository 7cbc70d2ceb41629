/**
 * The adapter's custom DAP vocabulary (events and the snapshot request), shared with the extension.
 * vscode-free: the extension imports these names and body types instead of repeating strings.
 */
import type { ModelDelta, Report, SessionInfo } from '../model/types';

export const CUSTOM_EVENT = {
  /** Once, when the program's agent said hello. Body: SessionInfo. */
  session: 'asyncInspector/session',
  /** Model changes, throttled to ≤ 20/s. Body: ModelDelta. */
  delta: 'asyncInspector/delta',
  /** The program ended (after the final delta). Body: EndedBody. */
  ended: 'asyncInspector/ended',
} as const;

/** Custom request returning the whole model (ModelDelta with reset: true). */
export const SNAPSHOT_REQUEST = 'asyncInspector/snapshot';

export interface EndedBody {
  exitCode: number | null;
  signal: string | null;
  report: Report;
}

export interface CustomEventBodies {
  [CUSTOM_EVENT.session]: SessionInfo;
  [CUSTOM_EVENT.delta]: ModelDelta;
  [CUSTOM_EVENT.ended]: EndedBody;
}

export type CustomEventName = keyof CustomEventBodies;
