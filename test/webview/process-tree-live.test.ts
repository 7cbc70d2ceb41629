/**
 * The process tree from real programs to the view's rows, vscode-free: a Node cluster (2 workers and a
 * child_process.fork child) and Python forked children run through an Inspection; every delta is validated
 * as the extension host does (checkDelta), posted as the view receives it (JSON, parseExtToView) and applied
 * to the view's store; the rows then show each process under the launched one, ended with the exit code the
 * report has, and every task under its own process.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { Inspection } from '../../src/inspection/inspection';
import type { Report } from '../../src/model/types';
import { parseExtToView, type SessionMessage } from '../../src/shared/messages';
import { checkDelta } from '../../src/shared/modelGuards';
import { ProcessIndex } from '../../src/shared/processes';
import { SessionStore } from '../../src/shared/store';
import { buildRows } from '../../src/webview/rows';

const root = resolve(__dirname, '../..');
const distDir = join(root, 'dist');
const hasPython = spawnSync('python3', ['--version']).status === 0;

/** Runs `command` through an Inspection into a view's store, every message the way it reaches the view. */
async function showInView(command: string[]): Promise<{ store: SessionStore; report: Report }> {
  const store = new SessionStore();
  const deliver = (msg: SessionMessage): void => {
    const posted = JSON.parse(JSON.stringify(msg)); // the host posts its messages as they are
    for (const m of parseExtToView(posted)?.messages ?? []) assert.equal(store.apply(m), 'applied');
  };
  const inspection = await Inspection.launch({ command, cwd: root }, {
    distDir,
    listener: (e) => {
      if (e.type === 'session') deliver({ type: 'reset', session: e.info });
      else if (e.type === 'delta') {
        const checked = checkDelta(e.delta);
        assert.ok(checked && checked.invalid === 0, 'every delta passes the host\'s validation');
        deliver({ type: 'delta', delta: checked.delta });
      }
    },
  });
  const end = await inspection.ended;
  deliver({ type: 'ended', exitCode: end.exitCode, signal: end.signal });
  return { store, report: end.report };
}

/** The process rows and, for each task row, the pid of the process row it is under. */
function shownTree(store: SessionStore) {
  const processes = new ProcessIndex(store.processes);
  const exp = { collapsedSections: new Set<never>(), collapsedTasks: new Set<string>() };
  const rows = buildRows(store.tasks, store.counts, exp, [...store.flags.values()], 'state', processes, store.loops.values());
  const procRows = rows.flatMap((r) => (r.kind === 'process' ? [r] : []));
  const taskPid = new Map<string, number>();
  let current: number | undefined;
  for (const r of rows) {
    if (r.kind === 'process') current = r.process.pid;
    else if (r.kind === 'task' && current !== undefined) taskPid.set(r.task.id, current);
  }
  return { processes, procRows, taskPid };
}

function assertTreeMatchesReport(store: SessionStore, report: Report, children: number): void {
  const { processes, procRows, taskPid } = shownTree(store);
  const reported = report.processes ?? [];
  assert.equal(reported.length, children + 1, JSON.stringify(reported));
  assert.deepEqual(procRows.map((r) => [r.process.pid, r.level, r.process.exited, r.process.exitCode]),
    reported.map((p, i) => [p.pid, i === 0 ? 1 : 2, true, p.exitCode]), 'each child under the launched process, ended with its code');
  for (const t of store.tasks.values()) assert.equal(taskPid.get(t.id), processes.of(t.id)?.pid, `${t.id} ${t.name} under its process`);
  assert.equal(taskPid.size, store.tasks.size, 'every task shown');
}

test('Node: a cluster\'s workers and a forked child, each under the primary in the view', async () => {
  const { store, report } = await showInView(['node', join(root, 'test/cli/fixtures/cluster.js')]);
  assertTreeMatchesReport(store, report, 3);
  const { processes, taskPid } = shownTree(store);
  const jobs = [...store.tasks.values()].filter((t) => t.name === 'workerJob');
  assert.equal(jobs.length, 2);
  assert.notEqual(taskPid.get(jobs[0].id), taskPid.get(jobs[1].id), 'each worker\'s job under its own worker');
  assert.ok(jobs.every((j) => processes.of(j.id)?.parentPid === store.processes[0].pid));
});

test('Python: forked children, each under the parent in the view', { skip: !hasPython && 'python3 not found' }, async () => {
  const { store, report } = await showInView(['python3', join(root, 'test/fixtures/python/fork_children.py')]);
  assertTreeMatchesReport(store, report, 3);
  const { procRows } = shownTree(store);
  assert.deepEqual(procRows.slice(1).map((r) => r.process.exitCode).sort(), [0, 0, 7]);
});
