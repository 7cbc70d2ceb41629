/**
 * The timeline: a waterfall with one lane per shown task in creation order, drawn on a canvas (only the
 * lanes in view are drawn, so 100k tasks cost one sorted array). A lane's bar spans the task's life in
 * its state's colour, faint while it waits and solid where it ran; a thin line before its first run.
 * Blocking-call stalls are red bands on the time axis and over the lanes (of the process that stalled, when
 * grouped by process), other flags are ticks. Ctrl/Alt+wheel or the
 * buttons zoom, drag or Shift+wheel pans, a click selects the task. A program that ran as several processes
 * has its lanes grouped by process under a header lane each (timelineLanes.ts); a click on a header folds it, and
 * so does Enter or Space once the arrow keys reach it (its list item says whether it is expanded).
 * Names are drawn as canvas text (never markup), and the lanes in view are also listed as text for screen readers.
 * Its elements are made in timelineElements.ts, a frame of lanes drawn by timelineFrame.ts.
 */
import type { TaskView } from '../model/types';
import { ProcessIndex } from '../shared/processes';
import { formatDuration } from './format';
import type { Shown } from './shown';
import { AXIS_HEIGHT, drawAxis, LANE_HEIGHT, laneText, sized } from './timelineDraw';
import { fillLaneList, timelineElements, type TimelineElements } from './timelineElements';
import { drawLaneFrame } from './timelineFrame';
import { foldersOf, laneAfter, processLaneText, processSpans, timelineLanes, type Lane } from './timelineLanes';
import { attachInput, ZOOM_STEP, type TimelineControl } from './timelineInput';
import { clampWindow, sessionEnd, stallsOf, zoom, type Stall, type TimeWindow } from './timelineScale';
import { readPalette, type Palette } from './timelinePalette';

export interface TimelineCallbacks {
  selectTask(id: string): void;
  now(): number;
}

export class TimelineView {
  readonly root: HTMLElement;
  private readonly dom: TimelineElements;
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
  /** The process header the keyboard is on (by pid); null: the current lane is the selected task's. */
  private headerPid: number | null = null;
  private frame = 0;
  private palette: Palette | null = null;

  constructor(parent: HTMLElement, private readonly callbacks: TimelineCallbacks) {
    this.dom = timelineElements(parent, {
      zoomOut: () => this.zoomBy(ZOOM_STEP, 0.5),
      zoomIn: () => this.zoomBy(1 / ZOOM_STEP, 0.5),
      fit: () => this.fit(),
    });
    this.root = this.dom.root;
    this.dom.body.addEventListener('scroll', () => this.schedule(), { passive: true });
    new ResizeObserver(() => this.schedule()).observe(this.dom.body);
    attachInput(this.control());
  }

  /** The element that takes keyboard focus (arrows select lanes, +/- zoom). */
  get focusTarget(): HTMLElement {
    return this.dom.body;
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
    if (this.headerPid !== null && !this.spans.has(this.headerPid)) this.headerPid = null; // its parent was folded
    this.dom.spacer.style.height = `${this.lanes.length * LANE_HEIGHT}px`;
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
    if (id !== undefined) this.headerPid = null;
    if (id !== undefined && this.tasks.has(id) && this.indexOf(id) < 0) {
      for (const pid of foldersOf(id, this.processes)) this.folded.delete(pid);
      this.layout();
    }
    this.scrollTo(id === undefined ? -1 : this.indexOf(id));
    this.schedule();
  }

  /** Scrolls lane `i` into view (to the middle) when it is out of it. */
  private scrollTo(i: number): void {
    if (i < 0 || !this.visible) return;
    const top = i * LANE_HEIGHT;
    if (top < this.dom.body.scrollTop || top + LANE_HEIGHT > this.dom.body.scrollTop + this.dom.body.clientHeight) {
      this.dom.body.scrollTop = Math.max(0, top - this.dom.body.clientHeight / 2);
    }
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
    const width = this.dom.body.clientWidth;
    const height = this.dom.body.clientHeight;
    const ctx = sized(this.dom.canvas, width, height);
    const axis = sized(this.dom.axis, width, AXIS_HEIGHT);
    if (!ctx || !axis) return;
    this.dom.canvas.style.transform = `translateY(${this.dom.body.scrollTop}px)`;
    const { start, end } = this.window;
    const x = (ms: number): number => ((ms - start) / (end - start)) * width;
    this.dom.range.textContent = `${start < 0.001 ? '0' : formatDuration(start)} – ${formatDuration(end)}`;
    this.root.dataset.viewStart = String(start);
    this.root.dataset.viewEnd = String(end);

    drawAxis(axis, palette, this.window, width, this.stalls, this.instants, this.at, x);
    const items = drawLaneFrame(ctx, palette, {
      lanes: this.lanes, spans: this.spans, processes: this.processes, stalls: this.stalls, window: this.window, at: this.at,
      liveEnd: this.at ?? this.callbacks.now(), selectedId: this.selectedId, headerPid: this.headerPid, scrollTop: this.dom.body.scrollTop,
    }, width, height, x);
    fillLaneList(this.dom.a11y, this.dom.body, items);
    this.root.dataset.drawMs = (performance.now() - started).toFixed(1);
  }

  private laneAt(clientY: number): Lane | undefined {
    const y = clientY - this.dom.body.getBoundingClientRect().top + this.dom.body.scrollTop;
    return this.lanes[Math.floor(y / LANE_HEIGHT)];
  }

  /** What the pointer and the keyboard act on (timelineInput.ts). */
  private control(): TimelineControl {
    return {
      body: this.dom.body,
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
        if (lane?.kind === 'process') {
          this.headerPid = lane.process.pid;
          this.toggle(lane.process.pid);
        } else if (lane) this.callbacks.selectTask(lane.task.id);
      },
      step: (by) => {
        const next = laneAfter(this.lanes, this.headerPid, this.selectedId, by);
        if (next?.kind === 'process') {
          this.headerPid = next.process.pid;
          this.scrollTo(this.lanes.indexOf(next));
          this.schedule();
        } else if (next) {
          this.headerPid = null;
          if (next.task.id === this.selectedId) this.schedule();
          else this.callbacks.selectTask(next.task.id);
        }
      },
      activate: () => {
        if (this.headerPid === null) return false;
        this.toggle(this.headerPid);
        return true;
      },
    };
  }
}
