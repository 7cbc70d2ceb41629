/**
 * The timeline's pointer and keyboard: drag or Shift+wheel pans, Ctrl/Alt+wheel zooms at the pointer, a click
 * acts on the lane under it (selects a task, folds a process), hovering names the lane; + / - zoom, 0 fits,
 * left / right pan, up / down move to the previous / next lane (a task's is selected; a process's header is where
 * Enter or Space folds or unfolds it). The view says what each does (TimelineControl).
 */
import { pan, type TimeWindow } from './timelineScale';

export const ZOOM_STEP = 1.5;

export interface TimelineControl {
  readonly body: HTMLElement;
  window(): TimeWindow;
  end(): number;
  /** Shows `w` (the user moved: the window no longer follows the session). */
  moveTo(w: TimeWindow): void;
  zoomBy(factor: number, anchor: number): void;
  fit(): void;
  hoverText(clientY: number): string;
  click(clientY: number): void;
  /** Moves to the lane before (-1) or after (1) the current one: selects a task, or stands on a process header. */
  step(by: -1 | 1): void;
  /** Enter / Space: folds or unfolds the process whose header is current; false when the current lane is a task's. */
  activate(): boolean;
}

export function attachInput(c: TimelineControl): void {
  const body = c.body;
  let drag: { x: number; window: TimeWindow; moved: boolean } | null = null;
  body.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    drag = { x: e.clientX, window: c.window(), moved: false };
    body.setPointerCapture(e.pointerId);
  });
  body.addEventListener('pointermove', (e) => {
    if (!drag) {
      body.title = c.hoverText(e.clientY);
      return;
    }
    const dx = e.clientX - drag.x;
    if (Math.abs(dx) < 3 && !drag.moved) return;
    drag.moved = true;
    const msPerPx = (drag.window.end - drag.window.start) / Math.max(1, body.clientWidth);
    c.moveTo(pan(drag.window, -dx * msPerPx, c.end()));
  });
  body.addEventListener('pointerup', (e) => {
    const wasDrag = drag?.moved;
    drag = null;
    if (!wasDrag) c.click(e.clientY);
  });
  body.addEventListener('wheel', (e) => {
    const rect = body.getBoundingClientRect();
    if (e.ctrlKey || e.altKey || e.metaKey) {
      e.preventDefault();
      c.zoomBy(e.deltaY > 0 ? ZOOM_STEP : 1 / ZOOM_STEP, (e.clientX - rect.left) / Math.max(1, rect.width));
    } else if (e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
      e.preventDefault();
      const delta = e.shiftKey ? e.deltaY || e.deltaX : e.deltaX;
      const w = c.window();
      c.moveTo(pan(w, (delta / Math.max(1, rect.width)) * (w.end - w.start), c.end()));
    }
  }, { passive: false });
  body.addEventListener('keydown', (e) => {
    if (onKey(c, e.key)) e.preventDefault();
  });
}

function onKey(c: TimelineControl, key: string): boolean {
  const w = c.window();
  switch (key) {
    case '+': case '=': c.zoomBy(1 / ZOOM_STEP, 0.5); return true;
    case '-': c.zoomBy(ZOOM_STEP, 0.5); return true;
    case '0': c.fit(); return true;
    case 'ArrowLeft': case 'ArrowRight':
      c.moveTo(pan(w, (key === 'ArrowLeft' ? -0.2 : 0.2) * (w.end - w.start), c.end()));
      return true;
    case 'ArrowUp': case 'ArrowDown':
      c.step(key === 'ArrowUp' ? -1 : 1);
      return true;
    case 'Enter': case ' ':
      return c.activate();
    default: return false;
  }
}
