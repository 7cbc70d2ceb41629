/**
 * The panel's timeline as a user sees it: the toolbar's pane switch, the lanes it lists (the text kept
 * for screen readers, one line per lane in view, in lane order), whether its canvas has bars drawn on
 * it, and a click on a lane. Relies on the webview's test marks: pane-tree / pane-timeline,
 * timeline (with data-lanes), timeline-lanes.
 */
import type { Frame } from 'playwright-core';
import { TASK_TREE } from './taskTree';
import type { Workbench } from './workbench';

const TIMELINE = '[data-testid="timeline"]';

export interface TimelineState {
  visible: boolean;
  lanes: number;
  /** The accessible lane texts: "<name>: <state>, created at …, ended at …". */
  laneTexts: string[];
  /** Canvas pixels (in device pixels) that are not transparent: bars, names, selection. */
  paintedPixels: number;
}

/** Clicks the toolbar's Task tree / Timeline switch and waits for that pane to show. */
export async function showPane(wb: Workbench, pane: 'tree' | 'timeline'): Promise<Frame> {
  const frame = await wb.findFrame(TASK_TREE);
  await frame.locator(`[data-testid="pane-${pane}"]`).click();
  await frame.locator(pane === 'tree' ? TASK_TREE : TIMELINE).waitFor({ state: 'visible', timeout: 5000 });
  return frame;
}

export async function readTimeline(frame: Frame): Promise<TimelineState> {
  return frame.$eval(TIMELINE, (root) => {
    const canvas = root.querySelector<HTMLCanvasElement>('.timeline-canvas');
    let painted = 0;
    const ctx = canvas && canvas.width > 1 ? canvas.getContext('2d') : null;
    if (ctx && canvas) {
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) painted++;
    }
    return {
      visible: !(root as HTMLElement).hidden && (root as HTMLElement).offsetHeight > 0,
      lanes: Number((root as HTMLElement).dataset.lanes ?? 0),
      laneTexts: [...root.querySelectorAll('[data-testid="timeline-lanes"] li')].map((li) => li.textContent ?? ''),
      paintedPixels: painted,
    };
  });
}

/**
 * Clicks the middle of lane `index` (0 = top, the timeline scrolled to the top), in its right half
 * where the bars of a finished session are. The lane height is the timeline's own: its scroll
 * spacer's height divided by the lanes.
 */
export async function clickLane(frame: Frame, index: number): Promise<void> {
  const body = frame.locator(`${TIMELINE} .timeline-body`);
  const laneHeight = await frame.$eval(TIMELINE, (root) =>
    root.querySelector<HTMLElement>('.timeline-spacer')!.offsetHeight / Number((root as HTMLElement).dataset.lanes));
  const box = await body.boundingBox();
  if (!box) throw new Error('the timeline is not on screen');
  await body.click({ position: { x: box.width * 0.75, y: index * laneHeight + laneHeight / 2 } });
}

/** The title of the details pane (the selected task's name), or undefined when nothing is selected. */
export async function selectedTaskTitle(frame: Frame): Promise<string | undefined> {
  return frame.$eval('[data-testid="task-details"]', (el) =>
    (el as HTMLElement).hidden ? undefined : el.querySelector('.details-title')?.textContent ?? undefined);
}
