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
  body.setAttribute('aria-label', 'Timeline of tasks: arrows select, + and - zoom, 0 fits');
  const canvas = el('canvas', 'timeline-canvas', body) as HTMLCanvasElement;
  const spacer = el('div', 'timeline-spacer', body);
  const a11y = el('ul', 'visually-hidden', root);
  a11y.dataset.testid = 'timeline-lanes';
  return { root, range, axis, body, canvas, spacer, a11y };
}

/** The screen-reader list says what the lanes in view say (one item each, rewritten only where it changed). */
export function fillLaneList(list: HTMLElement, items: readonly string[]): void {
  while (list.children.length > items.length) list.lastChild!.remove();
  while (list.children.length < items.length) list.appendChild(document.createElement('li'));
  items.forEach((text, i) => {
    const li = list.children[i] as HTMLElement;
    if (li.textContent !== text) li.textContent = text;
  });
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
