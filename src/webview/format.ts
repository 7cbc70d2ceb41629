/**
 * Turning program-supplied data into short display strings. Program strings are untrusted: they are
 * clipped (a 1 MB name must not reach layout), control and bidi-override characters are made visible
 * (they could hide or reorder text), and the result is only ever assigned with textContent.
 */
import type { Location, TaskView } from '../model/types';
import { displayText, MAX_ROW_TEXT } from '../shared/display-text';

export { displayText, MAX_ROW_TEXT };

export const MAX_TOOLTIP_TEXT = 2000;

/** Last path segment of a file path or URL (`/a/b/app.ts` → `app.ts`). */
export function baseName(file: string): string {
  const trimmed = file.replace(/[?#].*$/, '').replace(/[\\/]+$/, '');
  const i = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
  return i >= 0 ? trimmed.slice(i + 1) : trimmed;
}

export function shortLocation(loc: Location): string {
  return `${displayText(baseName(loc.file), 80)}:${loc.line}`;
}

export function fullLocation(loc: Location): string {
  const fn = loc.function ? ` (${loc.function})` : '';
  return displayText(`${loc.file}:${loc.line}${fn}`, MAX_TOOLTIP_TEXT);
}

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1) return '<1 ms';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const m = Math.floor(ms / 60_000);
  if (m < 60) return `${m}m ${Math.floor((ms % 60_000) / 1000)}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

/** How long a task has lived: until it ended, or until `now` while it is alive. */
export function taskDuration(t: TaskView, now: number): number {
  const end = t.endedAt ?? now;
  return Math.max(0, end - t.createdAt);
}

/** "awaits: a, b +3" using the names of the awaited tasks (ids of retired ones). */
export function relationText(label: string, ids: string[], nameOf: (id: string) => string | undefined): string {
  if (ids.length === 0) return '';
  const shown = ids.slice(0, 3).map((id) => displayText(nameOf(id) ?? `#${id}`, 60));
  const more = ids.length > 3 ? ` +${ids.length - 3}` : '';
  return `${label}: ${shown.join(', ')}${more}`;
}
