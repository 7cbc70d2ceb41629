/**
 * Drawing the timeline: the time axis (ticks, stalls, flag ticks, rewind cursor), one lane per task (its
 * life faint, its running slices solid, a thin line before its first run, its name as canvas text), and a
 * header lane per process when the program ran as several.
 * Pure canvas work; the TimelineView decides what is in view.
 */
import type { TaskView } from '../model/types';
import { displayText, formatDuration } from './format';
import type { Stall, TimeWindow } from './timelineScale';
import { tickLabel, tickStep } from './timelineScale';
import type { Palette } from './timelinePalette';
import { processLaneText, type Lane } from './timelineLanes';

export const LANE_HEIGHT = 18;
export const AXIS_HEIGHT = 22;
const BAR_HEIGHT = 12;

export function drawAxis(
  ctx: CanvasRenderingContext2D, p: Palette, w: TimeWindow, width: number, stalls: Stall[], instants: number[],
  at: number | null, x: (ms: number) => number,
): void {
  ctx.font = `10px ${p.font}`;
  ctx.textBaseline = 'top';
  ctx.fillStyle = p.axisText;
  const step = tickStep(w.end - w.start, width);
  for (let ms = Math.ceil(w.start / step) * step; ms <= w.end; ms += step) {
    const px = Math.round(x(ms));
    ctx.fillRect(px, 14, 1, AXIS_HEIGHT - 14);
    ctx.fillText(tickLabel(ms, step), px + 3, 2);
  }
  ctx.fillStyle = p.stall;
  for (const s of stalls) {
    if (s.end < w.start || s.start > w.end) continue;
    ctx.fillRect(x(s.start), AXIS_HEIGHT - 5, Math.max(2, x(s.end) - x(s.start)), 5);
  }
  ctx.fillStyle = p.flag;
  for (const t of instants) {
    if (t < w.start || t > w.end) continue;
    ctx.fillRect(Math.round(x(t)) - 1, AXIS_HEIGHT - 8, 3, 8);
  }
  if (at !== null) {
    ctx.fillStyle = p.cursor;
    ctx.fillRect(Math.round(x(at)) - 1, 0, 3, AXIS_HEIGHT);
  }
}

/** Draws one lane; returns its text for screen readers. */
export function drawLane(
  ctx: CanvasRenderingContext2D, p: Palette, t: TaskView, y: number, width: number, x: (ms: number) => number,
  liveEnd: number, selected: boolean,
): string {
  if (selected) {
    ctx.fillStyle = p.selection;
    ctx.fillRect(0, y, width, LANE_HEIGHT);
  }
  const color = p.states[t.state] ?? p.text;
  const barY = y + (LANE_HEIGHT - BAR_HEIGHT) / 2;
  const end = t.endedAt ?? liveEnd;
  const startX = x(t.createdAt);
  const runFrom = t.startedAt ?? t.createdAt;
  // Before the first run: a thin line (created, not yet started).
  if (runFrom > t.createdAt) {
    ctx.fillStyle = color;
    ctx.fillRect(startX, y + LANE_HEIGHT / 2, Math.max(1, x(runFrom) - startX), 1);
  }
  const lifeX = x(runFrom);
  const lifeW = Math.max(2, x(end) - lifeX);
  ctx.globalAlpha = 0.4;
  ctx.fillStyle = color;
  ctx.fillRect(lifeX, barY, lifeW, BAR_HEIGHT);
  ctx.globalAlpha = 1;
  for (const [s, d] of t.steps ?? []) {
    ctx.fillRect(x(s), barY, Math.max(1, x(s + d) - x(s)), BAR_HEIGHT);
  }
  if (!t.steps && t.state === 'running' && t.endedAt === undefined) ctx.fillRect(lifeX, barY, lifeW, BAR_HEIGHT);
  if (selected) {
    ctx.strokeStyle = p.focus;
    ctx.strokeRect(lifeX + 0.5, barY - 1.5, lifeW - 1, BAR_HEIGHT + 3);
  }
  const label = displayText(t.name || '(anonymous)', 120);
  ctx.fillStyle = p.text;
  ctx.fillText(label, labelX(ctx.measureText(label).width, startX, x(end), width), y + LANE_HEIGHT / 2);
  return laneText(t, liveEnd);
}

/**
 * Draws a process's header lane (a band, a fold arrow, its text indented by depth; outlined when the keyboard is
 * on it); returns its text.
 */
export function drawProcessLane(
  ctx: CanvasRenderingContext2D, p: Palette, lane: Extract<Lane, { kind: 'process' }>, y: number, width: number, current: boolean,
): string {
  ctx.fillStyle = current ? p.selection : p.header;
  ctx.fillRect(0, y, width, LANE_HEIGHT);
  ctx.fillStyle = p.headerEdge;
  ctx.fillRect(0, y, width, 1);
  if (current) {
    ctx.strokeStyle = p.focus;
    ctx.strokeRect(0.5, y + 0.5, width - 1, LANE_HEIGHT - 1);
  }
  const [title, detail] = processLaneText(lane);
  const mid = y + LANE_HEIGHT / 2;
  let at = 4 + lane.depth * 12;
  ctx.fillStyle = p.text;
  ctx.fillText(lane.folded ? '\u25B8' : '\u25BE', at, mid);
  at += 12;
  ctx.font = `bold 11px ${p.font}`;
  ctx.fillText(title, at, mid);
  at += ctx.measureText(title).width + 8;
  ctx.font = `11px ${p.font}`;
  ctx.fillStyle = p.axisText;
  ctx.fillText(detail, at, mid);
  return `${title}, ${detail}`;
}

/** Where a lane's name fits whole: after its bar, else before it, else inside it from its start. */
function labelX(textWidth: number, startX: number, endX: number, width: number): number {
  if (endX + 4 + textWidth <= width) return endX + 4;
  if (startX - 4 - textWidth >= 2) return startX - 4 - textWidth;
  return Math.max(2, Math.min(startX + 3, width - textWidth - 2));
}

export function laneText(t: TaskView, liveEnd: number): string {
  const end = t.endedAt !== undefined ? `ended at ${formatDuration(t.endedAt) || '0 ms'}` : `alive ${formatDuration(liveEnd - t.createdAt)}`;
  return `${displayText(t.name || '(anonymous)', 200)}: ${t.state}, created at ${formatDuration(t.createdAt) || '0 ms'}, ${end}`;
}

/** A canvas sized for the device pixel ratio; its context draws in CSS pixels. */
export function sized(canvas: HTMLCanvasElement, width: number, height: number): CanvasRenderingContext2D | null {
  const ratio = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(width * ratio));
  const h = Math.max(1, Math.round(height * ratio));
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  return ctx;
}
