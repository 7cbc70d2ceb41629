/**
 * The task tree of the terminal summary: nesting by parent, siblings that look alike (same name,
 * state and creation site) folded into one "×N" line, long lists cut with "… N more". When the tree
 * does not fit, finished branches with nothing live or failed inside stay closed ("+N inside").
 */
import type { ReportTask } from '../model/types';

export interface TreeStyle {
  /** A task's line; `indent` (the nesting) goes where the style wants it; `inside` = descendants not shown. */
  line(task: ReportTask, repeat: number, indent: string, inside: number): string;
  /** The "… N more" line at a nesting level. */
  more(text: string, indent: string): string;
  maxLines: number;
  maxGroupsPerParent: number;
}

interface Group {
  first: ReportTask;
  count: number;
  members: ReportTask[];
}

function groupKey(t: ReportTask): string {
  const c = t.created;
  return `${t.name}\0${t.kind}\0${t.state}\0${c ? `${c.file}:${c.line}` : ''}`;
}

/** Groups look-alike siblings, keeping the order of first appearance. */
function groups(children: readonly ReportTask[]): Group[] {
  const byKey = new Map<string, Group>();
  for (const t of children) {
    const k = groupKey(t);
    const g = byKey.get(k);
    if (g) {
      g.count++;
      g.members.push(t);
    } else byKey.set(k, { first: t, count: 1, members: [t] });
  }
  return [...byKey.values()];
}

export interface RenderedTree {
  lines: string[];
  /** Ids of the tasks that have a line of their own (a folded group's first member included). */
  shownIds: Set<string>;
}

export function renderTree(tasks: readonly ReportTask[], style: TreeStyle): RenderedTree {
  const ids = new Set(tasks.map((t) => t.id));
  const children = new Map<string | null, ReportTask[]>();
  for (const t of tasks) {
    // A parent that was retired or never seen: show the task at the top level.
    const parent = t.parent !== null && ids.has(t.parent) && t.parent !== t.id ? t.parent : null;
    let list = children.get(parent);
    if (!list) children.set(parent, (list = []));
    list.push(t);
  }
  const lines: string[] = [];
  let shown = 0;
  const visited = new Set<string>();
  const shownIds = new Set<string>();
  const info = subtreeInfo(children);
  const closeQuietBranches = tasks.length > style.maxLines;

  const walk = (parent: string | null, depth: number): void => {
    const gs = groups(children.get(parent) ?? []);
    const indent = '  '.repeat(depth);
    for (let i = 0; i < gs.length; i++) {
      if (lines.length >= style.maxLines) return;
      if (i >= style.maxGroupsPerParent) {
        const rest = gs.slice(i).reduce((n, g) => n + g.count, 0);
        lines.push(style.more(`… ${rest} more`, indent));
        shown += rest;
        return;
      }
      const g = gs[i];
      const first = info.get(g.first.id)!;
      // A folded group shows its first member's children only when it stands alone.
      const open = g.count === 1 && !visited.has(g.first.id) && !(closeQuietBranches && g.first.state === 'done' && !first.notable);
      const inside = open ? 0 : g.members.reduce((n, m) => n + info.get(m.id)!.descendants, 0);
      lines.push(style.line(g.first, g.count, indent, inside));
      shownIds.add(g.first.id);
      shown += g.count + inside;
      visited.add(g.first.id);
      if (open) walk(g.first.id, depth + 1);
    }
  };
  walk(null, 0);
  // Children of folded groups and everything past the line limit.
  const hidden = tasks.length - Math.min(shown, tasks.length);
  if (hidden > 0) lines.push(`… ${hidden} more tasks not shown (the --json report has them all)`);
  return { lines, shownIds };
}

interface Subtree {
  descendants: number;
  /** Something live, failed or cancelled below (worth opening the branch for). */
  notable: boolean;
}

function subtreeInfo(children: ReadonlyMap<string | null, ReportTask[]>): Map<string, Subtree> {
  const out = new Map<string, Subtree>();
  const visit = (t: ReportTask): Subtree => {
    const known = out.get(t.id);
    if (known) return known;
    const mine: Subtree = { descendants: 0, notable: false };
    out.set(t.id, mine); // set before recursing: a malformed cycle ends here
    for (const c of children.get(t.id) ?? []) {
      const sub = visit(c);
      mine.descendants += 1 + sub.descendants;
      mine.notable ||= sub.notable || c.state !== 'done';
    }
    return mine;
  };
  for (const list of children.values()) for (const t of list) visit(t);
  return out;
}
