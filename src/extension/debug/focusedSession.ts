/**
 * The views show the debug session in focus (CALL STACK, the debug toolbar's session list): a followed runtime
 * debugger's session shows its inspection (followedSessions.ts), one of our adapter's sessions its own (caught up
 * by a snapshot), and a session nothing inspects (a launch without "asyncInspector": true, a Run Without Debugging
 * of one) a "not inspected" state instead of another session's tasks, until an inspected session has the focus again.
 */
import * as vscode from 'vscode';
import { DEBUG_TYPE } from '../constants';
import type { SessionTracker } from '../sessionTracker';
import type { Followed } from './followed';
import type { FollowedSessions } from './followedSessions';

type Focused =
  | { kind: 'followed'; followed: Followed }
  /** A followed configuration's session that is not bound to its inspection yet: binding it shows it (FollowedSessions.bind). */
  | { kind: 'starting' }
  | { kind: 'ours'; session: vscode.DebugSession }
  | { kind: 'uninspected' };

export function followFocus(tracker: SessionTracker, followed: FollowedSessions): vscode.Disposable {
  return vscode.debug.onDidChangeActiveDebugSession((session) => {
    if (!session) return; // none left: the views keep the last one's end
    const focused = whatIs(session, followed);
    switch (focused.kind) {
      case 'followed':
        followed.focus(focused.followed);
        return;
      case 'starting':
        return;
      case 'ours':
        void tracker.focusAdapterSession(focused.session);
        return;
      case 'uninspected':
        tracker.showUninspected(session);
        return;
      default: {
        const unknown: never = focused;
        void unknown;
      }
    }
  });
}

function whatIs(session: vscode.DebugSession, followed: FollowedSessions): Focused {
  const f = followed.find(session) ?? followed.under(session);
  if (f) return f.session ? { kind: 'followed', followed: f } : { kind: 'starting' };
  for (let s: vscode.DebugSession | undefined = session; s; s = s.parentSession) {
    if (s.type === DEBUG_TYPE) return { kind: 'ours', session: s };
  }
  return { kind: 'uninspected' };
}
