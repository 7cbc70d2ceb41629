/**
 * The Tasks webview: receives the extension's messages, validates them, applies them to the store and
 * redraws at most once per animation frame; sends `ready`, `openLocation` and `requestSnapshot` back.
 * What is shown (rewound, filtered, grouped) comes from ShownState; the tree and the timeline share it
 * and the selection.
 */
import type { FlagView, Location, SessionInfo, TaskView } from '../model/types';
import { isArrayOf, isOneOf, isRecord, isString } from '../shared/guards';
import { DetailsView } from './details';
import { HeaderView } from './header';
import { attachKeyboard } from './keyboard';
import { parseExtToView, uninspectedText, type ViewToExtMessage } from '../shared/messages';
import { toggleStateTerm } from './query';
import { RewindBar } from './rewindBar';
import { GROUPINGS, SECTION_IDS, type Expansion, type GroupBy } from './rowTypes';
import { ShownState } from './shown';
import { SessionStore } from '../shared/store';
import { ViewClock } from './clock';
import { TimelineView } from './timeline';
import { sessionEnd } from './timelineScale';
import { Toolbar, type Pane } from './toolbar';
import { TreeView } from './tree';

interface VsCodeApi {
  postMessage(message: ViewToExtMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}

/** What the view remembers when VS Code recreates it: what the user folded, the grouping and the pane. */
interface SavedState {
  collapsedSections: string[];
  collapsedTasks: string[];
  group?: GroupBy;
  pane?: Pane;
}

/** At most this many folded tasks are remembered. */
const MAX_SAVED_FOLDS = 1000;
declare function acquireVsCodeApi(): VsCodeApi;

/** While the program runs, durations of live tasks advance between deltas at this period. */
const TICK_MS = 1000;

function start(): void {
  const vscode = acquireVsCodeApi();
  const store = new SessionStore();
  const shown = new ShownState(store);
  const app = document.createElement('div');
  app.className = 'app';
  document.body.appendChild(app);
  const header = new HeaderView(app, (state) => toolbar.setQuery(toggleStateTerm(toolbar.search.value, state)));
  let pane: Pane = 'tree';
  const toolbar = new Toolbar(app, {
    queryChanged: (text) => {
      shown.setQuery(text);
      schedule();
    },
    groupChanged: (group) => {
      shown.setGroup(group);
      saveState();
      schedule();
    },
    paneChanged: (next) => showPane(next),
    focusResults: () => (pane === 'tree' ? tree.root : timeline.focusTarget).focus(),
  });
  const rewind = new RewindBar(app, (at) => {
    shown.setTime(at);
    schedule();
  });
  const empty = document.createElement('div');
  empty.className = 'empty';
  empty.dataset.testid = 'empty-state';
  const NO_SESSION =
    'No session yet. Run "Async Inspector: Trace Current File", or start an "async-inspector" launch configuration (F5).';
  empty.textContent = NO_SESSION;
  app.appendChild(empty);

  // The session clock advances in real time while the program runs and stands still at a debugger stop.
  const clock = new ViewClock(store);
  const now = (): number => clock.now(performance.now());
  /** The time the view shows: the rewind time, or now. Durations of live tasks are measured to it. */
  const viewNow = (): number => shown.get().at ?? now();

  const openSource = (site: Location | null): void => {
    if (!site) return;
    const col = site.col !== undefined && site.col >= 1 ? site.col : undefined;
    vscode.postMessage({ type: 'openLocation', file: site.file, line: site.line, ...(col ? { col } : {}) });
  };
  const saveState = (): void => {
    const state: SavedState = {
      collapsedSections: [...tree.expansion.collapsedSections],
      collapsedTasks: [...tree.expansion.collapsedTasks].slice(-MAX_SAVED_FOLDS),
      group: shown.group,
      pane,
    };
    vscode.setState(state);
  };
  const tree = new TreeView(app, store, shown, {
    now: viewNow,
    openTask: (task: TaskView) => openSource(store.site(task.created)),
    openFlag: (flag: FlagView) => openSource(flag.location),
    selectionChanged: () => {
      showDetails();
      timeline.select(tree.selectedTaskId());
    },
    foldChanged: (_expansion: Expansion) => saveState(),
  });
  const timeline = new TimelineView(app, { now, selectTask: (id) => tree.selectTask(id) });
  const saved = restoreState(tree.expansion, vscode.getState());
  shown.setGroup(saved.group);
  toolbar.setGroup(saved.group);
  const details = new DetailsView(app, {
    openLocation: openSource, selectTask: (id) => tree.selectTask(id), processes: () => tree.processes,
  });
  // Redrawn only when the selected task's or flag's record changes (a new object per change), so focus inside it stays.
  let shownSubject: TaskView | FlagView | undefined;
  const showDetails = (): void => {
    const s = shown.get();
    const flag = tree.selectedFlag();
    if (flag) {
      if (flag !== shownSubject) details.showFlag(flag, s.all);
      shownSubject = flag;
      return;
    }
    const id = tree.selectedTaskId();
    const task = id !== undefined ? s.tasks.get(id) ?? store.tasks.get(id) : undefined;
    if (task === shownSubject) return;
    shownSubject = task;
    details.show(task, s.all, s.at ?? now(), store.site);
  };
  attachKeyboard(tree);
  const showPane = (next: Pane): void => {
    pane = next;
    toolbar.setPane(pane);
    tree.root.hidden = pane !== 'tree';
    timeline.show(pane === 'timeline');
    drawnVersion = -1;
    saveState();
    draw();
  };
  // A theme change replaces the variables on <html> and the class on <body>: the canvas re-reads its colours.
  const themeWatch = new MutationObserver(() => timeline.themeChanged());
  themeWatch.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  themeWatch.observe(document.body, { attributes: true, attributeFilter: ['class'] });

  let drawnVersion = -1;
  let frame = 0;
  const draw = (): void => {
    frame = 0;
    const started = performance.now();
    const s = shown.get();
    if (drawnVersion === shown.version) return;
    drawnVersion = shown.version;
    header.update(store, s);
    toolbar.update(s);
    // Shown for the whole session (not from its first task on): the tree below never jumps.
    rewind.update(sessionEnd(store.now, store.tasks.values(), []), s.at, store.status !== 'idle');
    empty.hidden = store.status !== 'idle';
    // The session's name is the user's own string: text only.
    empty.textContent = store.uninspected === null ? NO_SESSION : uninspectedText(store.uninspected);
    // Only the pane on screen is rebuilt; the other catches up when it is shown (showPane redraws).
    if (pane === 'tree') tree.update();
    else timeline.update(s, now(), tree.selectedTaskId(), tree.processes);
    showDetails();
    // The cost of the last redraw, where the scale tests (and a curious developer) can read it.
    app.dataset.drawMs = (performance.now() - started).toFixed(1);
  };
  const schedule = (): void => {
    if (frame === 0) frame = requestAnimationFrame(draw);
  };

  /** Requests carry an id; only the reply to the latest one is applied (an older one is already out of date). */
  let lastRequest = 0;
  let snapshotRequested = false;
  const request = (type: 'ready' | 'requestSnapshot'): void => vscode.postMessage({ type, id: ++lastRequest });
  window.addEventListener('message', (event: MessageEvent) => {
    const started = performance.now();
    const parsed = parseExtToView(event.data);
    if (!parsed) {
      console.warn('async-inspector: ignored an invalid message');
      return;
    }
    if (parsed.replyTo !== undefined && parsed.replyTo !== lastRequest) return;
    if (parsed.replyTo !== undefined) snapshotRequested = false;
    let applied = false;
    for (const msg of parsed.messages) {
      // Another session's task #4 is another task: a new session starts with nothing selected. The same
      // session sent again (the view reopened, a snapshot) keeps it.
      if (msg.type === 'reset' && !sameSession(store.session, msg.session)) tree.clearSelection();
      const unmatched = store.unmatchedProgress;
      const result = store.apply(msg);
      // A delta updated tasks this view never got whole: it lost track, a snapshot brings it back.
      const lostTrack = store.unmatchedProgress > unmatched;
      if ((result === 'needSnapshot' || lostTrack) && !snapshotRequested) {
        snapshotRequested = true;
        request('requestSnapshot');
      }
      if (msg.type === 'reset') snapshotRequested = false;
      if (result === 'applied') clock.applied(performance.now(), msg.type === 'delta' || msg.type === 'reset');
      applied ||= result === 'applied';
    }
    app.dataset.applyMs = (performance.now() - started).toFixed(1);
    if (applied) schedule();
  });

  setInterval(() => {
    if (store.status !== 'running' || clock.stopped || document.hidden) return;
    if (timeline.visible) timeline.update(shown.get(), now(), tree.selectedTaskId(), tree.processes);
    else tree.renderWindow();
  }, TICK_MS);

  showPane(saved.pane);
  request('ready');
}

function sameSession(a: SessionInfo | null, b: SessionInfo | null): boolean {
  if (!a || !b) return a === b;
  return a.pid === b.pid && a.startEpochMs === b.startEpochMs && a.runtime === b.runtime && a.command.join('\0') === b.command.join('\0');
}

/** Folds, grouping and pane saved by an earlier instance of the view; anything malformed is ignored. */
function restoreState(expansion: Expansion, saved: unknown): { group: GroupBy; pane: Pane } {
  const defaults = { group: 'state' as GroupBy, pane: 'tree' as Pane };
  if (!isRecord(saved)) return defaults;
  const isSection = isOneOf(SECTION_IDS);
  if (isArrayOf(saved.collapsedSections, isSection)) for (const s of saved.collapsedSections) expansion.collapsedSections.add(s);
  if (isArrayOf(saved.collapsedTasks, isString)) {
    for (const id of saved.collapsedTasks.slice(-MAX_SAVED_FOLDS)) expansion.collapsedTasks.add(id);
  }
  return {
    group: isOneOf(GROUPINGS)(saved.group) ? saved.group : defaults.group,
    pane: isOneOf(['tree', 'timeline'] as const)(saved.pane) ? saved.pane : defaults.pane,
  };
}

start();
