/**
 * The timeline: a waterfall with one lane per shown task in creation order, drawn on a canvas (only the
 * lanes in view are drawn, so 100k tasks cost one sorted array). A lane's bar spans the task's life in
 * its state's colour, faint while it waits and solid where it ran; a thin line before its first run.
 * Blocking-call stalls are red bands on the time axis and over the lanes (of the process that stalled, when
 * grouped by process), other flags are ticks. Ctrl/Alt+wheel or the
 * buttons zoom, drag or Shift+wheel pans, a click selects the task. A program that ran as several processes
 * has its lanes grouped by process under a header lane each (timelineLanes.ts); a click on a header folds it.
 * Names are drawn as canvas text (never markup), and the lanes in view are also listed as text for screen readers.
 */
import type { TaskView } from '../model/types';
import { ProcessIndex } from '../shared/processes';
import { formatDuration } from './format';
import type { Shown } from './shown';
import { AXIS_HEIGHT, drawAxis, drawLane, drawProcessLane, LANE_HEIGHT, laneText, sized } from './timelineDraw';
import { foldersOf, processLaneText, processSpans, timelineLanes, type Lane } from './timelineLanes';
import { attachInput, ZOOM_STEP, type TimelineControl } from './timelineInput';
import { clampWindow, sessionEnd, stallsOf, zoom, type Stall, type TimeWindow } from './timelineScale';
import { readPalette, type Palette } from './timelinePalette';

export interface TimelineCallbacks {
  selectTask(id: string): void;
  now(): number;
}

export class TimelineView {
  readonly root: HTMLElement;
  private readonly axis: HTMLCanvasElement;
  private readonly body: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly a11y: HTMLElement;
  private readonly range: HTMLElement;
  private lanes: Lane[] = [];
  /** Each process's lanes: [its header's index, the next header's) (processSpans). */
  private spans = new Map<number, [number, number]>();
  private tasks: ReadonlyMap<string, TaskView> = new Map();
  private processes = new ProcessIndex([]);
  /** The processes whose lanes are folded (by pid). */
  private readonly folded = new Set<number>();
  private stalls: Stall[] = [];
  /** Times of the other flags, marked on the axis as ticks. */
  private instants: number[] = [];
  private end = 1;
  private window: TimeWindow = { start: 0, end: 1 };
  /** Until the user zooms or pans, the window follows the whole session as it grows. */
  private fitted = true;
  private at: number | null = null;
  private selectedId: string | undefined;
  private frame = 0;
  private palette: Palette | null = null;

  constructor(parent: HTMLElement, private readonly callbacks: TimelineCallbacks) {
    this.root = el('div', 'timeline', parent);
    this.root.dataset.testid = 'timeline';
    this.root.hidden = true;
    const bar = el('div', 'timeline-bar', this.root);
    this.range = el('span', 'timeline-range', bar);
    this.range.dataset.testid = 'timeline-range';
    this.button(bar, 'zoom-out', 'Zoom out (-)', () => this.zoomBy(ZOOM_STEP, 0.5));
    this.button(bar, 'zoom-in', 'Zoom in (+)', () => this.zoomBy(1 / ZOOM_STEP, 0.5));
    this.button(bar, 'screen-full', 'Fit the whole session (0)', () => this.fit());
    this.axis = el('canvas', 'timeline-axis', this.root) as HTMLCanvasElement;
    this.axis.dataset.testid = 'timeline-axis';
    this.body = el('div', 'timeline-body', this.root);
    this.body.tabIndex = 0;
    this.body.setAttribute('role', 'group');
    this.body.setAttribute('aria-label', 'Timeline of tasks: arrows select, + and - zoom, 0 fits');
    this.canvas = el('canvas', 'timeline-canvas', this.body) as HTMLCanvasElement;
    this.spacer = el('div', 'timeline-spacer', this.body);
    this.a11y = el('ul', 'visually-hidden', this.root);
    this.a11y.dataset.testid = 'timeline-lanes';
    this.body.addEventListener('scroll', () => this.schedule(), { passive: true });
    new ResizeObserver(() => this.schedule()).observe(this.body);
    attachInput(this.control());
  }

  /** The element that takes keyboard focus (arrows select lanes, +/- zoom). */
  get focusTarget(): HTMLElement {
    return this.body;
  }

  get visible(): boolean {
    return !this.root.hidden;
  }

  show(visible: boolean): void {
    this.root.hidden = !visible;
    if (visible) this.schedule();
  }

  /** New data (shown tasks or the processes changed). */
  update(shown: Shown, now: number, selectedId: string | undefined, processes: ProcessIndex): void {
    this.tasks = shown.tasks;
    this.processes = processes;
    this.layout();
    this.stalls = stallsOf(shown.flags);
    const stallFlags = new Set(this.stalls.map((s) => s.flag));
    this.instants = shown.flags.filter((f) => !stallFlags.has(f)).map((f) => f.t);
    // The whole session stays in view while rewound: the cursor shows where "then" is.
    this.end = Math.max(sessionEnd(now, shown.tasks.values(), shown.flags), 1);
    this.at = shown.at;
    this.selectedId = selectedId;
    this.window = this.fitted ? { start: 0, end: this.end } : clampWindow(this.window.start, this.window.end, this.end);
    this.schedule();
  }

  private layout(): void {
    this.lanes = timelineLanes(this.tasks.values(), this.processes, this.folded);
    this.spans = processSpans(this.lanes);
    this.spacer.style.height = `${this.lanes.length * LANE_HEIGHT}px`;
    this.root.dataset.lanes = String(this.lanes.length);
    this.root.dataset.processLanes = String(this.lanes.filter((l) => l.kind === 'process').length);
  }

  private indexOf(id: string): number {
    return this.lanes.findIndex((l) => l.kind === 'task' && l.task.id === id);
  }

  /** Folds or unfolds a process's lanes. */
  toggle(pid: number): void {
    if (!this.folded.delete(pid)) this.folded.add(pid);
    this.layout();
    this.schedule();
  }

  /** Selects (and scrolls to) a task's lane without telling anyone: the tree already knows. Unfolds its process. */
  select(id: string | undefined): void {
    if (id === this.selectedId) return;
    this.selectedId = id;
    if (id !== undefined && this.tasks.has(id) && this.indexOf(id) < 0) {
      for (const pid of foldersOf(id, this.processes)) this.folded.delete(pid);
      this.layout();
    }
    const i = id === undefined ? -1 : this.indexOf(id);
    if (i >= 0 && this.visible) {
      const top = i * LANE_HEIGHT;
      if (top < this.body.scrollTop || top + LANE_HEIGHT > this.body.scrollTop + this.body.clientHeight) {
        this.body.scrollTop = Math.max(0, top - this.body.clientHeight / 2);
      }
    }
    this.schedule();
  }

  /** Theme changed: colours are read again on the next draw. */
  themeChanged(): void {
    this.palette = null;
    this.schedule();
  }

  zoomBy(factor: number, anchor: number): void {
    this.fitted = false;
    this.window = zoom(this.window, factor, anchor, this.end);
    this.schedule();
  }

  fit(): void {
    this.fitted = true;
    this.window = { start: 0, end: this.end };
    this.schedule();
  }

  get timeWindow(): TimeWindow {
    return { ...this.window };
  }

  private schedule(): void {
    if (this.frame === 0 && this.visible) this.frame = requestAnimationFrame(() => this.draw());
  }

  private draw(): void {
    this.frame = 0;
    if (!this.visible) return;
    const started = performance.now();
    const palette = (this.palette ??= readPalette(this.root));
    const width = this.body.clientWidth;
    const height = this.body.clientHeight;
    const ctx = sized(this.canvas, width, height);
    const axis = sized(this.axis, width, AXIS_HEIGHT);
    if (!ctx || !axis) return;
    this.canvas.style.transform = `translateY(${this.body.scrollTop}px)`;
    const { start, end } = this.window;
    const x = (ms: number): number => ((ms - start) / (end - start)) * width;
    this.range.textContent = `${start < 0.001 ? '0' : formatDuration(start)} – ${formatDuration(end)}`;
    this.root.dataset.viewStart = String(start);
    this.root.dataset.viewEnd = String(end);

    drawAxis(axis, palette, this.window, width, this.stalls, this.instants, this.at, x);
    ctx.font = `11px ${palette.font}`;
    ctx.textBaseline = 'middle';
    for (const s of this.stalls) {
      if (s.end < start || s.start > end) continue;
      // Over the lanes of the process that stalled (its header's group), or all of them.
      const p = this.processes.several ? this.processes.ofFlag(s.flag) : undefined;
      const [top, bottom] = (p && this.spans.get(p.pid)) ?? [0, Infinity];
      const y = Math.max(0, top * LANE_HEIGHT - this.body.scrollTop);
      ctx.fillStyle = palette.stallBand;
      ctx.fillRect(x(s.start), y, Math.max(1, x(s.end) - x(s.start)), Math.min(height, bottom * LANE_HEIGHT - this.body.scrollTop) - y);
    }
    const first = Math.max(0, Math.floor(this.body.scrollTop / LANE_HEIGHT));
    const last = Math.min(this.lanes.length, Math.ceil((this.body.scrollTop + height) / LANE_HEIGHT));
    const liveEnd = this.at ?? this.callbacks.now();
    const items: string[] = [];
    for (let i = first; i < last; i++) {
      const lane = this.lanes[i];
      const y = i * LANE_HEIGHT - this.body.scrollTop;
      if (lane.kind === 'process') items.push(drawProcessLane(ctx, palette, lane, y, width));
      else items.push(drawLane(ctx, palette, lane.task, y, width, x, liveEnd, lane.task.id === this.selectedId));
    }
    if (this.at !== null) {
      ctx.fillStyle = palette.cursor;
      ctx.fillRect(Math.round(x(this.at)), 0, 1, height);
    }
    this.fillA11y(items);
    this.root.dataset.drawMs = (performance.now() - started).toFixed(1);
  }

  private fillA11y(items: string[]): void {
    const list = this.a11y;
    while (list.children.length > items.length) list.lastChild!.remove();
    while (list.children.length < items.length) list.appendChild(document.createElement('li'));
    items.forEach((text, i) => {
      const li = list.children[i] as HTMLElement;
      if (li.textContent !== text) li.textContent = text;
    });
  }

  private laneAt(clientY: number): Lane | undefined {
    const y = clientY - this.body.getBoundingClientRect().top + this.body.scrollTop;
    return this.lanes[Math.floor(y / LANE_HEIGHT)];
  }

  /** What the pointer and the keyboard act on (timelineInput.ts). */
  private control(): TimelineControl {
    return {
      body: this.body,
      window: () => this.window,
      end: () => this.end,
      moveTo: (w) => {
        this.fitted = false;
        this.window = w;
        this.schedule();
      },
      zoomBy: (factor, anchor) => this.zoomBy(factor, anchor),
      fit: () => this.fit(),
      hoverText: (clientY) => {
        const lane = this.laneAt(clientY);
        if (!lane) return '';
        return lane.kind === 'task' ? laneText(lane.task, this.at ?? this.callbacks.now()) : processLaneText(lane).join('\n');
      },
      click: (clientY) => {
        const lane = this.laneAt(clientY);
        if (lane?.kind === 'process') this.toggle(lane.process.pid);
        else if (lane) this.callbacks.selectTask(lane.task.id);
      },
      step: (by) => {
        const tasks = this.lanes.flatMap((l) => (l.kind === 'task' ? [l.task] : []));
        const i = tasks.findIndex((t) => t.id === this.selectedId);
        const next = tasks[Math.max(0, Math.min(tasks.length - 1, i < 0 ? 0 : i + by))];
        if (next) this.callbacks.selectTask(next.id);
      },
    };
  }

  private button(parent: HTMLElement, icon: string, label: string, action: () => void): void {
    const b = el('button', 'icon-button', parent) as HTMLButtonElement;
    b.type = 'button';
    b.title = label;
    b.setAttribute('aria-label', label);
    b.dataset.testid = `timeline-${icon}`;
    el('span', `codicon codicon-${icon}`, b).setAttribute('aria-hidden', 'true');
    b.addEventListener('click', action);
  }
}

function el(tag: string, className: string, parent: HTMLElement): HTMLElement {
  const e = document.createElement(tag);
  e.className = className;
  parent.appendChild(e);
  return e;
}
