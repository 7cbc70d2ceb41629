/**
 * The Tasks webview: receives the extension's messages, validates them, applies them to the store and
 * redraws at most once per animation frame; sends `ready`, `openLocation` and `requestSnapshot` back.
 */
import type { FlagView, Location, TaskView } from '../model/types';
import { isArrayOf, isOneOf, isRecord, isString } from './guards';
import { DetailsView } from './details';
import { HeaderView } from './header';
import { attachKeyboard } from './keyboard';
import { parseExtToView, type ViewToExtMessage } from './messages';
import { SECTION_ORDER, type Expansion } from './rows';
import { SessionStore } from './store';
import { TreeView } from './tree';

interface VsCodeApi {
  postMessage(message: ViewToExtMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}

/** What the view remembers when VS Code recreates it: what the user folded. */
interface SavedState {
  collapsedSections: string[];
  collapsedTasks: string[];
}

/** At most this many folded tasks are remembered. */
const MAX_SAVED_FOLDS = 1000;
declare function acquireVsCodeApi(): VsCodeApi;

/** While the program runs, durations of live tasks advance between deltas at this period. */
const TICK_MS = 1000;

function start(): void {
  const vscode = acquireVsCodeApi();
  const store = new SessionStore();
  const app = document.createElement('div');
  app.className = 'app';
  document.body.appendChild(app);
  const header = new HeaderView(app);
  const empty = document.createElement('div');
  empty.className = 'empty';
  empty.dataset.testid = 'empty-state';
  empty.textContent =
    'No session yet. Run "Async Inspector: Trace Current File", or start an "async-inspector" launch configuration (F5).';
  app.appendChild(empty);

  // The session clock advances in real time while the program runs, even when no delta arrives.
  let clockBase = 0;
  let clockAt = performance.now();
  const now = (): number => (store.status === 'running' ? clockBase + (performance.now() - clockAt) : store.now);

  const openSource = (site: Location | null): void => {
    if (!site) return;
    const col = site.col !== undefined && site.col >= 1 ? site.col : undefined;
    vscode.postMessage({ type: 'openLocation', file: site.file, line: site.line, ...(col ? { col } : {}) });
  };
  const tree = new TreeView(app, store, {
    now,
    openTask: (task: TaskView) => openSource(task.created),
    openFlag: (flag: FlagView) => openSource(flag.location),
    selectionChanged: () => showDetails(),
    foldChanged: (expansion: Expansion) => {
      const state: SavedState = {
        collapsedSections: [...expansion.collapsedSections],
        collapsedTasks: [...expansion.collapsedTasks].slice(-MAX_SAVED_FOLDS),
      };
      vscode.setState(state);
    },
  });
  restoreFolds(tree.expansion, vscode.getState());
  const details = new DetailsView(app, { openLocation: openSource, selectTask: (id) => tree.selectTask(id) });
  // Redrawn only when the selected task's record changes (a new object per change), so focus inside it stays.
  let shownTask: TaskView | undefined;
  const showDetails = (): void => {
    const id = tree.selectedTaskId();
    const task = id !== undefined ? store.tasks.get(id) : undefined;
    if (task === shownTask) return;
    shownTask = task;
    details.show(task, store.tasks, now());
  };
  attachKeyboard(tree);

  let drawnVersion = -1;
  let frame = 0;
  const draw = (): void => {
    frame = 0;
    if (drawnVersion === store.version) return;
    drawnVersion = store.version;
    header.update(store);
    empty.hidden = store.status !== 'idle';
    tree.update();
    showDetails();
  };
  const schedule = (): void => {
    if (frame === 0) frame = requestAnimationFrame(draw);
  };

  let snapshotRequested = false;
  window.addEventListener('message', (event: MessageEvent) => {
    const msg = parseExtToView(event.data);
    if (!msg) {
      console.warn('async-inspector: ignored an invalid message');
      return;
    }
    const result = store.apply(msg);
    if (result === 'needSnapshot' && !snapshotRequested) {
      snapshotRequested = true;
      vscode.postMessage({ type: 'requestSnapshot' });
    }
    if (msg.type === 'reset') snapshotRequested = false;
    if (result === 'applied') {
      clockBase = store.now;
      clockAt = performance.now();
      schedule();
    }
  });

  setInterval(() => {
    if (store.status === 'running' && !document.hidden) tree.renderWindow();
  }, TICK_MS);

  draw();
  vscode.postMessage({ type: 'ready' });
}

/** Folds saved by an earlier instance of the view; anything malformed is ignored. */
function restoreFolds(expansion: Expansion, saved: unknown): void {
  if (!isRecord(saved)) return;
  const isSection = isOneOf(['flags', ...SECTION_ORDER] as const);
  if (isArrayOf(saved.collapsedSections, isSection)) for (const s of saved.collapsedSections) expansion.collapsedSections.add(s);
  if (isArrayOf(saved.collapsedTasks, isString)) {
    for (const id of saved.collapsedTasks.slice(-MAX_SAVED_FOLDS)) expansion.collapsedTasks.add(id);
  }
}

start();
