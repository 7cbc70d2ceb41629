/**
 * The rewind scrubber: a slider over the recorded session. Dragging it back shows the program as it was
 * then (tree, counts, flags and timeline); the right end, or the button, returns to the present.
 */
import { formatDuration } from './format';

/** Slider resolution: positions along the session. */
const STEPS = 1000;

export class RewindBar {
  private readonly root: HTMLElement;
  readonly slider: HTMLInputElement;
  private readonly label: HTMLElement;
  private readonly live: HTMLButtonElement;
  private end = 0;
  private at: number | null = null;

  constructor(parent: HTMLElement, private readonly onChange: (at: number | null) => void) {
    this.root = document.createElement('div');
    this.root.className = 'rewind';
    this.root.dataset.testid = 'rewind';
    parent.appendChild(this.root);
    const icon = document.createElement('span');
    icon.className = 'codicon codicon-history';
    icon.setAttribute('aria-hidden', 'true');
    this.slider = document.createElement('input');
    this.slider.type = 'range';
    this.slider.min = '0';
    this.slider.max = String(STEPS);
    this.slider.value = String(STEPS);
    this.slider.className = 'rewind-slider';
    this.slider.dataset.testid = 'rewind-slider';
    this.slider.setAttribute('aria-label', 'Rewind: show the session as it was at this time');
    this.label = document.createElement('span');
    this.label.className = 'rewind-label';
    this.label.dataset.testid = 'rewind-label';
    this.live = document.createElement('button');
    this.live.type = 'button';
    this.live.className = 'icon-button';
    this.live.dataset.testid = 'rewind-live';
    this.live.title = 'Back to the present';
    this.live.setAttribute('aria-label', 'Back to the present');
    const liveIcon = document.createElement('span');
    liveIcon.className = 'codicon codicon-debug-continue';
    liveIcon.setAttribute('aria-hidden', 'true');
    this.live.appendChild(liveIcon);
    this.root.append(icon, this.slider, this.label, this.live);
    this.slider.addEventListener('input', () => this.onChange(this.timeOf(Number(this.slider.value))));
    this.live.addEventListener('click', () => this.onChange(null));
  }

  /** Session length `end` (ms), the time shown (`at`, null for the present). */
  update(end: number, at: number | null, hasSession: boolean): void {
    this.root.hidden = !hasSession;
    this.end = end;
    this.at = at;
    const pos = at === null || end <= 0 ? STEPS : Math.round((at / end) * STEPS);
    if (this.slider.value !== String(pos) && document.activeElement !== this.slider) this.slider.value = String(pos);
    this.root.dataset.at = at === null ? '' : String(at);
    this.root.classList.toggle('rewound', at !== null);
    this.live.disabled = at === null;
    const text = at === null ? `now · ${formatDuration(end) || '0 ms'}` : `at ${formatDuration(at) || '0 ms'} of ${formatDuration(end)}`;
    if (this.label.textContent !== text) this.label.textContent = text;
    this.slider.setAttribute('aria-valuetext', text);
  }

  /** Sets the time directly (tests, keyboard); null for the present. */
  timeOf(pos: number): number | null {
    return pos >= STEPS ? null : (pos / STEPS) * this.end;
  }

  get shownAt(): number | null {
    return this.at;
  }
}
