/**
 * The timeline's colours, read from the theme's CSS variables (the same ones the tree's icons use), so
 * the canvas follows light, dark and high-contrast themes. Read again whenever the theme changes.
 */
import type { TaskState } from '../protocol/events';

export interface Palette {
  states: Record<TaskState, string>;
  text: string;
  axisText: string;
  selection: string;
  focus: string;
  stall: string;
  /** Other flags (instants on the axis). */
  flag: string;
  stallBand: string;
  cursor: string;
  /** A process's header lane: its band and the line above it. */
  header: string;
  headerEdge: string;
  font: string;
}

export function readPalette(el: HTMLElement): Palette {
  const css = getComputedStyle(el);
  const v = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback;
  const stall = v('--timeline-stall', '#f14c4c');
  return {
    states: {
      running: v('--state-running', '#3794ff'),
      pending: v('--state-pending', '#cca700'),
      queued: v('--state-queued', '#8b8b8b'),
      done: v('--state-done', '#388a34'),
      failed: v('--state-failed', '#f14c4c'),
      cancelled: v('--state-cancelled', '#8b8b8b'),
    },
    text: v('--vscode-foreground', '#cccccc'),
    axisText: v('--muted', '#8b8b8b'),
    selection: v('--vscode-list-inactiveSelectionBackground', 'rgba(128,128,128,0.25)'),
    focus: v('--vscode-focusBorder', '#0078d4'),
    stall,
    flag: v('--vscode-editorWarning-foreground', '#cca700'),
    stallBand: v('--timeline-stall-band', 'rgba(241,76,76,0.12)'),
    cursor: v('--vscode-editorCursor-foreground', v('--vscode-foreground', '#cccccc')),
    header: v('--vscode-sideBarSectionHeader-background', 'rgba(128,128,128,0.15)'),
    headerEdge: v('--vscode-sideBarSectionHeader-border', v('--vscode-panel-border', 'rgba(128,128,128,0.35)')),
    font: v('--vscode-font-family', 'sans-serif'),
  };
}
