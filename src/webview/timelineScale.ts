/**
 * The timeline's arithmetic, kept apart from drawing: the visible time window (zoom and pan, clamped to
 * the session), the ticks of the time axis, the order of the lanes, and the blocking-call stalls.
 */
import type { FlagView, TaskView } from '../model/types';

/** The narrowest window the view zooms to (ms), however far one zooms in. */
const MIN_SPAN_MS = 0.05;

export interface TimeWindow {
  start: number;
  end: number;
}

/** A window of `span` around `center` within [0, limit] (shifted, not shrunk, at the edges). */
export function clampWindow(start: number, end: number, limit: number): TimeWindow {
  const max = Math.max(limit, MIN_SPAN_MS);
  let span = Math.min(Math.max(end - start, MIN_SPAN_MS), max);
  if (!Number.isFinite(span)) span = max;
  let s = Number.isFinite(start) ? start : 0;
  if (s < 0) s = 0;
  if (s + span > max) s = max - span;
  return { start: s, end: s + span };
}

/** Zooms by `factor` (<1 zooms in) keeping the time under `anchor` (0..1 of the width) in place. */
export function zoom(w: TimeWindow, factor: number, anchor: number, limit: number): TimeWindow {
  const span = w.end - w.start;
  const at = w.start + span * anchor;
  const next = span * factor;
  return clampWindow(at - next * anchor, at - next * anchor + next, limit);
}

export function pan(w: TimeWindow, deltaMs: number, limit: number): TimeWindow {
  return clampWindow(w.start + deltaMs, w.end + deltaMs, limit);
}

/** Tick spacing: 1, 2 or 5 × 10^k ms, so that ticks are at least `minPx` apart. */
export function tickStep(spanMs: number, widthPx: number, minPx = 70): number {
  const raw = (spanMs * minPx) / Math.max(widthPx, 1);
  const pow = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-6)));
  for (const m of [1, 2, 5, 10]) if (m * pow >= raw) return m * pow;
  return 10 * pow;
}

export function tickLabel(ms: number, step: number): string {
  if (ms === 0) return '0';
  if (step >= 1000) return `${+(ms / 1000).toFixed(step >= 10_000 ? 0 : 1)} s`;
  const digits = step >= 1 ? 0 : Math.min(3, Math.ceil(-Math.log10(step)));
  return `${ms.toFixed(digits)} ms`;
}

/**
 * Lanes in creation order (ties by id as a number, then as text): a waterfall, where tasks that run one
 * after another form a staircase and tasks that run together stack up over the same span.
 */
export function laneOrder(tasks: Iterable<TaskView>): TaskView[] {
  const lanes = [...tasks];
  let sorted = true;
  for (let i = 1; i < lanes.length && sorted; i++) if (compareLanes(lanes[i - 1], lanes[i]) > 0) sorted = false;
  if (!sorted) lanes.sort(compareLanes);
  return lanes;
}

function compareLanes(a: TaskView, b: TaskView): number {
  if (a.createdAt !== b.createdAt) return a.createdAt - b.createdAt;
  const na = Number(a.id);
  const nb = Number(b.id);
  if (Number.isFinite(na) && Number.isFinite(nb) && na !== nb) return na - nb;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export interface Stall {
  start: number;
  end: number;
  flag: FlagView;
}

/** Blocking-call flags with a duration, as the span the loop was blocked (the flag is raised as it ends). */
export function stallsOf(flags: Iterable<FlagView>): Stall[] {
  const out: Stall[] = [];
  for (const f of flags) {
    if (f.kind !== 'blocking-call' || f.durationMs === undefined || f.durationMs <= 0) continue;
    out.push({ start: Math.max(0, f.t - f.durationMs), end: f.t, flag: f });
  }
  return out;
}

/** The session's end as the timeline draws it: the clock, or the last moment any task or flag names. */
export function sessionEnd(now: number, tasks: Iterable<TaskView>, flags: Iterable<FlagView>): number {
  let end = now;
  for (const t of tasks) if (t.endedAt !== undefined && t.endedAt > end) end = t.endedAt;
  for (const f of flags) if (f.t > end) end = f.t;
  return end;
}
