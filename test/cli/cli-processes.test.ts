/**
 * Programs that run as several processes: each traced process is in the report's `processes` under its parent's
 * pid, with its exit code, and its tasks carry its id prefix. Node: cluster workers and child_process.fork
 * (followed through NODE_OPTIONS); Python: a bare os.fork() child and multiprocessing fork children.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChromeTrace } from '../../src/model/trace';
import type { Report, ReportProcess } from '../../src/model/types';
import { fixture, readReport, root, runCli, tempFile } from './helpers';

const hasPython = spawnSync('python3', ['--version']).status === 0;

/** The process whose id prefix the task's id carries. */
function processOf(report: Report, taskId: string): ReportProcess | undefined {
  const prefix = /^(p\d+:)?/.exec(taskId)![0];
  return report.processes?.find((p) => p.idPrefixes.includes(prefix));
}

test('Node: cluster with 2 workers and a child_process.fork child, each under the primary’s pid', async () => {
  const json = tempFile('report.json');
  const traceFile = tempFile('trace.json');
  const r = await runCli(['run', '--json', json, '--trace', traceFile, '--', 'node', fixture('cluster.js')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /workers done, child exited 0/);
  const report = readReport(json);
  assert.equal(report.schema, 1);
  const processes = report.processes ?? [];
  assert.equal(processes.length, 4, JSON.stringify(processes));
  const [primary, ...children] = processes;
  assert.ok(children.every((p) => p.parentPid === primary.pid && p.pid !== primary.pid && p.exitCode === 0));
  assert.equal(new Set(children.map((p) => p.pid)).size, 3);
  const jobs = report.tasks.filter((t) => t.name === 'workerJob');
  assert.equal(jobs.length, 2, JSON.stringify(report.tasks.map((t) => [t.id, t.name])));
  const workerPids = jobs.map((t) => processOf(report, t.id)?.pid);
  assert.ok(workerPids.every((pid) => pid !== undefined && pid !== primary.pid));
  assert.notEqual(workerPids[0], workerPids[1], 'each worker’s job in its own process');
  const childWork = report.tasks.find((t) => t.name === 'childWork')!;
  assert.deepEqual(processOf(report, childWork.id)?.command.slice(-1), [fixture('child.js')]);
  assert.equal(processOf(report, report.tasks.find((t) => t.name === 'primaryMain')!.id)?.pid, primary.pid);
  // the Chrome trace: a Perfetto process per pid
  const trace = JSON.parse(readFileSync(traceFile, 'utf8')) as ChromeTrace;
  const tracePids = trace.traceEvents.filter((e) => e.name === 'process_name').map((e) => e.pid).sort();
  assert.deepEqual(tracePids, processes.map((p) => p.pid).sort());
});

test('Node: each process shows the status it ended with (process.exitCode, exit(), a throw, a signal sent at itself, killed by its parent)', async () => {
  const json = tempFile('report.json');
  const r = await runCli(['run', '--json', json, '--', 'node', fixture('exit-children.js')]);
  assert.equal(r.code, 143, `the program dies of its own SIGTERM: ${r.stderr}`);
  const real = new Map(r.stdout.trim().split('\n').map((l) => l.split(' ')).map(([how, code]) => [how, Number(code)]));
  assert.deepEqual(Object.fromEntries(real), { exitCode: 4, exit: 5, throw: 1, signal: 143, killed: 137 });
  const said = new Map((readReport(json).processes ?? []).map((p) => [p.command.at(-1)!.replace(/.*\//, ''), p.exitCode]));
  assert.deepEqual(Object.fromEntries(said), { ...Object.fromEntries(real), 'exit-children.js': 143 });
});

// The agent marks its own files so no stack shows them (src/agents/node/frames.ts); a child loads its own copy of
// the agent through NODE_OPTIONS, and its stacks must be as clean as the launched process's.
test('Node: the stacks of children started by fork, spawn and execFile hold no frame of the agent', async () => {
  const json = tempFile('report.json');
  const r = await runCli(['run', '--json', json, '--', 'node', fixture('children-stacks.js')]);
  assert.equal(r.code, 0, r.stderr);
  const report = readReport(json);
  assert.equal(report.processes?.length, 4, JSON.stringify(report.processes));
  const kinds = report.flags.map((f) => `${f.kind} ${f.location?.file.replace(/.*\//, '')}`).sort();
  for (const kind of ['blocking-call', 'unhandled-rejection', 'pending-at-exit']) {
    assert.ok(kinds.includes(`${kind} children-stacks-kid.js`), `${kind} in a child: ${JSON.stringify(kinds)}`);
  }
  assert.equal(report.tasks.filter((t) => t.name === 'kidWork').length, 3);
  const dist = join(root, 'dist');
  for (const [what, text] of [['report', readFileSync(json, 'utf8')], ['summary', r.stderr]]) {
    assert.doesNotMatch(text, /agent-node(-writer)?\.js/, what);
    assert.ok(!text.includes(dist), `${what} names ${dist}`);
  }
});

test('Python: os.fork() and multiprocessing fork children, each under the parent’s pid with its exit code',
  { skip: !hasPython && 'python3 not found' }, async () => {
    const json = tempFile('report.json');
    const script = join(root, 'test', 'fixtures', 'python', 'fork_children.py');
    const r = await runCli(['run', '--json', json, '--', 'python3', script]);
    assert.equal(r.code, 0, r.stderr);
    const report = readReport(json);
    const [parent, ...children] = report.processes ?? [];
    assert.equal(children.length, 3, JSON.stringify(report.processes));
    assert.ok(children.every((p) => p.parentPid === parent.pid));
    assert.deepEqual(children.map((p) => p.exitCode).sort(), [0, 0, 7]);
    const works = report.tasks.filter((t) => t.name === 'child_work');
    assert.equal(works.length, 3);
    assert.deepEqual(new Set(works.map((t) => processOf(report, t.id)?.pid)), new Set(children.map((p) => p.pid)));
    // the summary groups the task tree by process
    const child7 = children.find((p) => p.exitCode === 7)!;
    assert.match(r.stderr, new RegExp(`process pid ${parent.pid}: .*fork_children\\.py — exited with code 0\\n +done +parent_work`));
    assert.match(r.stderr, new RegExp(`process pid ${child7.pid} \\(child of pid ${parent.pid}\\): .* exited with code 7\\n +done +child_work`));
  });

/** What each child of children-env.js said about itself. */
function childReports(stdout: string): Map<string, { traced: boolean; vars: string[]; nodeOptions: string | null }> {
  const lines = stdout.split('\n').filter((l) => l.startsWith('CHILD '));
  return new Map(lines.map((l) => JSON.parse(l.slice(6))).map((c) => [c.role, c]));
}

test('Node: --no-children runs cluster workers, forked and spawned children untraced, without the agent in their environment; worker threads stay traced', async () => {
  const json = tempFile('report.json');
  const r = await runCli(['run', '--no-children', '--json', json, '--', 'node', fixture('children-env.js')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /primary done/);
  const children = childReports(r.stdout);
  assert.deepEqual([...children.keys()].sort(), ['cluster', 'fork', 'spawn']);
  for (const [role, c] of children) {
    // Variables this test already had (the test runner's marks, CI's cache settings) are not the agent's.
    assert.deepEqual([c.traced, c.vars.filter((v) => !(v in process.env))], [false, []], role);
    assert.ok(c.nodeOptions === null || !c.nodeOptions.includes('agent-node.js'), `${role}: ${c.nodeOptions}`);
  }
  const report = readReport(json);
  assert.equal(report.processes, undefined, 'one traced process');
  assert.ok(report.tasks.some((t) => t.name === 'primaryMain'));
  assert.ok(report.tasks.some((t) => t.name === 'threadJob' && t.id.startsWith('p')), 'the worker thread is traced');

  // Without it, the same children are traced, each a process of its own.
  const traced = await runCli(['run', '--json', json, '--', 'node', fixture('children-env.js')]);
  assert.equal(traced.code, 0, traced.stderr);
  for (const [role, c] of childReports(traced.stdout)) assert.equal(c.traced, true, role);
  assert.equal(readReport(json).processes?.length, 4);
});

test('Node: a blocking call in a cluster worker is flagged, in that worker’s process', async () => {
  const json = tempFile('report.json');
  const script = join(root, 'test', 'e2e', 'workspace-cluster', 'cluster.js'); // the real-VS-Code test's program too
  // 250 ms: the planted call blocks 400 ms; a loaded machine's slow turns elsewhere stay under it.
  const r = await runCli(['run', '--block-threshold', '250', '--json', json, '--', 'node', script]);
  assert.equal(r.code, 0, r.stderr);
  const report = readReport(json);
  assert.equal(report.processes?.length, 3, JSON.stringify(report.processes));
  const crunchLine = readFileSync(script, 'utf8').split('\n').findIndex((l) => l.includes('while (Date.now() < until)')) + 1;
  const blocking = report.flags.filter((f) => f.kind === 'blocking-call' && f.location?.line === crunchLine);
  assert.equal(blocking.length, 1, JSON.stringify(report.flags));
  const task = report.tasks.find((t) => t.id === blocking[0].task);
  assert.ok(task && task.name.startsWith('serveRequests') && processOf(report, task.id)?.pid !== report.processes![0].pid,
    `the flag's task runs in a worker: ${JSON.stringify(blocking[0])}`);
  // The report and the summary name the worker that raised it.
  const worker = processOf(report, task.id)!;
  assert.equal(blocking[0].pid, worker.pid, 'the report flag carries the raising process');
  assert.match(r.stderr, new RegExp(`blocking-call  \\S+:${crunchLine}  .*\\(pid ${worker.pid}, cluster\\.js\\)`));
});
