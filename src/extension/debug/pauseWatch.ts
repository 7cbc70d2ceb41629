/**
 * Pause awareness from the debug session itself: a DebugAdapterTracker on every session of a followed
 * inspection (the launching session and js-debug's child targets) sees the adapter's `stopped` and
 * `continued` events and the client's resume / step requests. At a stop the agent must deliver what it
 * holds at once: for Node the extension evaluates the agent's flush function through the stopped session
 * (global context, no frame: src/agents/node/pause.ts); the Python agent notices the stop itself (its
 * sender thread is one debugpy does not suspend). Then the view shows the program as of the stop: the
 * paused task and the stop's location (the top frame of the stopped thread).
 */
import * as vscode from 'vscode';
import { NODE_PAUSE_FLUSH_EXPRESSION, WRITER_THREAD_NAME } from '../../protocol/debugger';
import type { PausedView } from '../../shared/messages';
import type { Followed } from './followed';
import type { FollowedSessions } from './followedSessions';
import { INSPECTION_KEY } from './followDecision';

/** How long a stop waits for the agent's `paused` event before it shows what it has. */
const PAUSED_EVENT_WAIT_MS = 500;
/** A debug adapter that does not answer our requests at a stop must not hold the view. */
const REQUEST_TIMEOUT_MS = 3000;
/** Client requests after which the program runs again (DAP sends no `continued` for these). */
const RESUMING = new Set(['continue', 'next', 'stepIn', 'stepOut', 'stepBack', 'reverseContinue', 'restartFrame', 'goto']);

export class PauseWatch implements vscode.DebugAdapterTrackerFactory {
  constructor(private readonly followed: FollowedSessions) {}

  createDebugAdapterTracker(session: vscode.DebugSession): vscode.DebugAdapterTracker | undefined {
    const f = this.followed.find(session);
    if (!f) return undefined;
    this.followed.bind(session);
    // js-debug debugs the agent's own writer thread as a target of its own (it pauses and resumes it, e.g. for
    // its instrumentation breakpoints): its stops and resumes are not the program's.
    if (session.name.includes(WRITER_THREAD_NAME)) return undefined;
    return {
      onDidSendMessage: (m: { type?: string; event?: string; body?: { threadId?: number; systemProcessId?: number } }) => {
        if (m.type !== 'event') return;
        this.followed.debuggeeEvent(f, session, m.event, m.body?.systemProcessId);
        if (m.event === 'stopped') void this.stopped(f, session, m.body?.threadId);
        else if (m.event === 'continued') this.followed.resumed(f, session);
      },
      onWillReceiveMessage: (m: { type?: string; command?: string; arguments?: { restart?: unknown; arguments?: Record<string, unknown> } }) => {
        if (m.type !== 'request' || !m.command) return;
        if (RESUMING.has(m.command)) this.followed.resumed(f, session);
        // Ctrl+Shift+F5: a `restart` request (js-debug), or a terminate / disconnect that VS Code follows with a relaunch.
        if (m.command === 'restart' || ((m.command === 'terminate' || m.command === 'disconnect') && m.arguments?.restart === true)) {
          // VS Code sends the configuration with a restart request: resolved again when launch.json changed, with a new inspection's key.
          this.followed.restart(f, m.arguments?.arguments?.[INSPECTION_KEY]);
        }
      },
    };
  }

  private note(text: string): void {
    this.followed.sayOnce(`Async Inspector: ${text}; the view shows the tasks as of the last update before it.`);
  }

  private async stopped(f: Followed, session: vscode.DebugSession, threadId: number | undefined): Promise<void> {
    const before = Math.min(f.inspection.paused?.count ?? 0, f.countAtResume);
    this.followed.paused(f, session, {}, before); // "Paused" at once; where, and the paused task, follow
    const at = topFrame(session, threadId);
    if (f.runtime === 'node') {
      try {
        const said = await evaluate(session, NODE_PAUSE_FLUSH_EXPRESSION);
        // `sent`: the writer thread had a write in hand; it delivers the batch once its own debugger session lets it.
        if (said !== 'written' && said !== 'sent') this.note(`the agent answered ${said} at the stop`);
      } catch (err) {
        // No agent in this target (a process started without it): the view shows what it has.
        this.note(`could not reach the agent at the stop (${err instanceof Error ? err.message : String(err)})`);
      }
    }
    const where = await at;
    if (f.stop?.before !== before) return; // resumed meanwhile
    // The agent's `paused` event usually arrives within a few ms; a short wait shows the stop in one update,
    // and one that comes later still marks the paused task (FollowedSessions.paused / its deltas).
    const deadline = Date.now() + PAUSED_EVENT_WAIT_MS;
    while ((f.inspection.paused?.count ?? 0) <= before && Date.now() < deadline && f.inspection.running) await delay(20);
    if (f.stop?.before === before) this.followed.paused(f, session, where, before);
  }
}

async function topFrame(session: vscode.DebugSession, threadId: number | undefined): Promise<Omit<PausedView, 'task'>> {
  if (threadId === undefined) return {};
  try {
    const answer = await withTimeout(session.customRequest('stackTrace', { threadId, startFrame: 0, levels: 1 }), REQUEST_TIMEOUT_MS) as {
      stackFrames?: { name?: string; line?: number; source?: { path?: string } }[];
    };
    const frame = answer.stackFrames?.[0];
    if (!frame) return {};
    return { file: frame.source?.path, line: frame.line, function: frame.name };
  } catch {
    return {};
  }
}

/** Evaluates `expression` in the session's program (global context, no frame): its value as a string, quotes taken off. */
export async function evaluate(session: vscode.DebugSession, expression: string): Promise<string> {
  const answer = await withTimeout(session.customRequest('evaluate', { expression, context: 'repl' }), REQUEST_TIMEOUT_MS) as { result?: string };
  return String(answer?.result).replace(/^'|'$/g, '');
}

function withTimeout<T>(request: Thenable<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new Error(`no answer in ${ms} ms`)), ms)));
  return Promise.race([Promise.resolve(request), late]).finally(() => clearTimeout(timer));
}

function delay(ms: number): Promise<void> {
  return new Promise((ok) => setTimeout(ok, ms));
}
