/**
 * The adapter's custom DAP vocabulary (events and the snapshot request), shared with the extension.
 * vscode-free: the extension imports these names and body types instead of repeating strings.
 */
import type { InspectionEnd } from '../inspection/events';
import type { ModelDelta, SessionInfo } from '../model/types';

export const CUSTOM_EVENT = {
  /** Once, when the program's agent said hello. Body: SessionInfo. */
  session: 'asyncInspector/session',
  /** Model changes, throttled to ≤ 20/s. Body: a ModelDelta (tasks name sites by SiteId; new sites' locations in `sites`). */
  delta: 'asyncInspector/delta',
  /** The program ended (after the final delta). Body: EndedBody. */
  ended: 'asyncInspector/ended',
} as const;

/** Custom request returning the whole model (ModelDelta with reset: true, every site in `sites`). */
export const SNAPSHOT_REQUEST = 'asyncInspector/snapshot';

/** The end of the run: exit code (null when a signal ended it), signal, and the report. */
export type EndedBody = InspectionEnd;

export interface CustomEventBodies {
  [CUSTOM_EVENT.session]: SessionInfo;
  [CUSTOM_EVENT.delta]: ModelDelta;
  [CUSTOM_EVENT.ended]: EndedBody;
}

export type CustomEventName = keyof CustomEventBodies;

/**
 * Launch arguments the extension adds to an `async-inspector` configuration (never typed by users):
 * `childDebugType` — the program runs under the runtime's own debugger in a child session the extension
 * starts (js-debug's `pwa-node`, `debugpy`), so this session launches nothing; `debuggerNote` — one line for
 * the Debug Console (why there are no breakpoints).
 */
export const LAUNCH_EXTRA = { childDebugType: '__asyncInspectorChildType', debuggerNote: '__asyncInspectorNote' } as const;
