/** Human titles of flag kinds, shared by the view and the extension's diagnostics (vscode-free). */
import type { FlagView } from '../model/types';

const KIND_TITLES: Record<string, string> = {
  'never-awaited': 'Never awaited',
  'blocking-call': 'Blocking call',
  'unhandled-rejection': 'Unhandled rejection',
  'exception-never-retrieved': 'Exception never retrieved',
  'destroyed-pending': 'Destroyed while pending',
  'pending-at-exit': 'Pending at exit',
  deadlock: 'Deadlock',
};

/** Kinds that mean a failure was lost or the program is stuck (errors); the others are warnings. */
export const ERROR_KINDS: ReadonlySet<string> = new Set(['unhandled-rejection', 'exception-never-retrieved', 'deadlock']);

export function flagTitle(kind: string): string {
  return KIND_TITLES[kind] ?? kind.replace(/-/g, ' ');
}

/** "Blocking call (240 ms): …" — the kind first, so a list of flags reads at a glance. */
export function flagMessage(flag: Pick<FlagView, 'kind' | 'message' | 'durationMs'>): string {
  const title = flagTitle(flag.kind);
  // The duration once: agents' messages often state it already ("… for 250 ms").
  const saysDuration = /\d\s*ms\b/.test(flag.message);
  const duration = flag.durationMs !== undefined && !saysDuration ? ` (${Math.round(flag.durationMs)} ms)` : '';
  return flag.message.toLowerCase().startsWith(title.toLowerCase()) ? flag.message : `${title}${duration}: ${flag.message}`;
}
