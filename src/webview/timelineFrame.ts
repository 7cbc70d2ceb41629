/**
 * One frame of the timeline's lanes: the blocking-call stall bands over the lanes they concern, the lanes in
 * view (a task's bar or a process's header, outlined when the keyboard is on it), the rewind cursor. Returns what
 * each drawn lane says, for the screen-reader list.
 */
import type { ProcessIndex } from '../shared/processes';
import { drawLane, drawProcessLane, LANE_HEIGHT } from './timelineDraw';
import type { LaneItem } from './timelineElements';
import type { Lane } from './timelineLanes';
import type { Palette } from './timelinePalette';
import type { Stall, TimeWindow } from './timelineScale';

export interface LaneFrame {
  lanes: readonly Lane[];
  /** Each process's lanes: [its header's index, the next header's) (processSpans). */
  spans: ReadonlyMap<number, [number, number]>;
  processes: ProcessIndex;
  stalls: readonly Stall[];
  window: TimeWindow;
  /** The rewind cursor's time, or null when live. */
  at: number | null;
  /** Where a live task's bar ends. */
  liveEnd: number;
  selectedId: string | undefined;
  /** The process header the keyboard is on (null: the selected task's lane). */
  headerPid: number | null;
  scrollTop: number;
}

export function drawLaneFrame(
  ctx: CanvasRenderingContext2D, palette: Palette, f: LaneFrame, width: number, height: number, x: (ms: number) => number,
): LaneItem[] {
  const { start, end } = f.window;
  ctx.font = `11px ${palette.font}`;
  ctx.textBaseline = 'middle';
  for (const s of f.stalls) {
    if (s.end < start || s.start > end) continue;
    // Over the lanes of the process that stalled (its header's group), or all of them.
    const p = f.processes.several ? f.processes.ofFlag(s.flag) : undefined;
    const [top, bottom] = (p && f.spans.get(p.pid)) ?? [0, Infinity];
    const y = Math.max(0, top * LANE_HEIGHT - f.scrollTop);
    ctx.fillStyle = palette.stallBand;
    ctx.fillRect(x(s.start), y, Math.max(1, x(s.end) - x(s.start)), Math.min(height, bottom * LANE_HEIGHT - f.scrollTop) - y);
  }
  const first = Math.max(0, Math.floor(f.scrollTop / LANE_HEIGHT));
  const last = Math.min(f.lanes.length, Math.ceil((f.scrollTop + height) / LANE_HEIGHT));
  const items: LaneItem[] = [];
  for (let i = first; i < last; i++) {
    const lane = f.lanes[i];
    const y = i * LANE_HEIGHT - f.scrollTop;
    if (lane.kind === 'process') {
      const current = lane.process.pid === f.headerPid;
      items.push({ text: drawProcessLane(ctx, palette, lane, y, width, current), expanded: !lane.folded, current });
    } else {
      const current = f.headerPid === null && lane.task.id === f.selectedId;
      items.push({ text: drawLane(ctx, palette, lane.task, y, width, x, f.liveEnd, lane.task.id === f.selectedId), current });
    }
  }
  if (f.at !== null) {
    ctx.fillStyle = palette.cursor;
    ctx.fillRect(Math.round(x(f.at)), 0, 1, height);
  }
  return items;
}
