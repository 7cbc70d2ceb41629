/**
 * The timeline's elements: the bar (the shown range, zoom and fit buttons), the axis canvas, the scrolling
 * body with the lanes' canvas and a spacer as tall as every lane, and the visually hidden list of the lanes in
 * view that screen readers read.
 */
import { el } from './dom';

export interface TimelineElements {
  root: HTMLElement;
  range: HTMLElement;
  axis: HTMLCanvasElement;
  body: HTMLElement;
  canvas: HTMLCanvasElement;
  spacer: HTMLElement;
  a11y: HTMLElement;
}

export interface TimelineButtons {
  zoomOut(): void;
  zoomIn(): void;
  fit(): void;
}

export function timelineElements(parent: HTMLElement, buttons: TimelineButtons): TimelineElements {
  const root = el('div', 'timeline', parent);
  root.dataset.testid = 'timeline';
  root.hidden = true;
  const bar = el('div', 'timeline-bar', root);
  const range = el('span', 'timeline-range', bar);
  range.dataset.testid = 'timeline-range';
  button(bar, 'zoom-out', 'Zoom out (-)', buttons.zoomOut);
  button(bar, 'zoom-in', 'Zoom in (+)', buttons.zoomIn);
  button(bar, 'screen-full', 'Fit the whole session (0)', buttons.fit);
  const axis = el('canvas', 'timeline-axis', root) as HTMLCanvasElement;
  axis.dataset.testid = 'timeline-axis';
  const body = el('div', 'timeline-body', root);
  body.tabIndex = 0;
  body.setAttribute('role', 'group');
  body.setAttribute('aria-label', 'Timeline of tasks: up and down move between lanes, Enter or Space folds a process, + and - zoom, 0 fits');
  const canvas = el('canvas', 'timeline-canvas', body) as HTMLCanvasElement;
  const spacer = el('div', 'timeline-spacer', body);
  const a11y = el('ul', 'visually-hidden', root);
  a11y.dataset.testid = 'timeline-lanes';
  return { root, range, axis, body, canvas, spacer, a11y };
}

/** A lane in view as the screen-reader list gives it. */
export interface LaneItem {
  text: string;
  /** A process header: whether its lanes show. */
  expanded?: boolean;
  /** The lane the keyboard is on. */
  current: boolean;
}

/**
 * The screen-reader list says what the lanes in view say (one item each, rewritten only where it changed); a
 * process header's item says whether it is expanded, and the current lane's item is the body's active descendant
 * (what the arrows, Enter and Space act on).
 */
export function fillLaneList(list: HTMLElement, body: HTMLElement, items: readonly LaneItem[]): void {
  while (list.children.length > items.length) list.lastChild!.remove();
  while (list.children.length < items.length) list.appendChild(document.createElement('li'));
  let active: string | null = null;
  items.forEach((item, i) => {
    const li = list.children[i] as HTMLElement;
    if (li.textContent !== item.text) li.textContent = item.text;
    li.id = `timeline-lane-${i}`;
    if (item.expanded === undefined) li.removeAttribute('aria-expanded');
    else li.setAttribute('aria-expanded', String(item.expanded));
    if (item.current) active = li.id;
  });
  if (active === null) body.removeAttribute('aria-activedescendant');
  else body.setAttribute('aria-activedescendant', active);
}

function button(parent: HTMLElement, icon: string, label: string, action: () => void): void {
  const b = el('button', 'icon-button', parent) as HTMLButtonElement;
  b.type = 'button';
  b.title = label;
  b.setAttribute('aria-label', label);
  b.dataset.testid = `timeline-${icon}`;
  el('span', `codicon codicon-${icon}`, b).setAttribute('aria-hidden', 'true');
  b.addEventListener('click', action);
}
