/**
 * Worker threads: the agent runs inside each worker the program creates (NODE_OPTIONS' preload runs there
 * too), as its own connection with its own loop; a worker made with `env: {}` stays untraced; a worker
 * terminated while busy hangs nothing and leaves no false pending-at-exit.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli, tempFile, readReport } from '../cli/helpers';
import { fixture, runTraced, type Said, type Task } from './trace';

const workerFile = fixture('workers/worker-job.js');

function siteOf(said: Said, name: string): { file: string; line: number } | null {
  const t: Task = said.one(name);
  return t.created && { file: t.created.file, line: t.created.line };
}

describe('node agent: worker threads', () => {
  it("shows a worker's own tasks with their names, sites and states under the worker's loop", async () => {
    const trace = await runTraced(fixture('workers/main.js'));
    assert.equal(trace.code, 0, trace.stderr);
    assert.match(trace.stdout, /result \{ doubled: 42, size: true \}/);
    assert.equal(trace.threads.length, 1, 'one traced worker connection');
    const worker = trace.threads[0];

    const hello = worker.hello()!;
    assert.equal(typeof hello.threadId, 'number', 'the worker says which thread it is');
    assert.equal(hello.pid, trace.hello()!.pid, 'same process');
    assert.equal(trace.hello()!.threadId, undefined, 'the main thread says no threadId');
    const [loop] = worker.loops();
    assert.equal(loop.name, `worker ${hello.threadId} (worker-job.js)`);
    assert.equal(loop.thread, `worker ${hello.threadId}`);
    const creates = worker.events.filter((e) => e.e === 'create');
    assert.ok(creates.length > 0 && creates.every((e) => e.e === 'create' && e.loop === loop.id), "every task is on the worker's loop");

    assert.deepEqual(siteOf(worker, 'job'), { file: workerFile, line: 24 });
    assert.deepEqual(siteOf(worker, 'readOwnSource'), { file: workerFile, line: 20 });
    assert.deepEqual(siteOf(worker, 'crunch'), { file: workerFile, line: 20 });
    assert.deepEqual(siteOf(worker, 'fs.promises.readFile'), { file: workerFile, line: 10 });
    assert.deepEqual(siteOf(worker, 'Timeout'), { file: workerFile, line: 6 });
    assert.equal(worker.one('Timeout').kind, 'timer');
    assert.equal(worker.one('fs.promises.readFile').kind, 'io');
    for (const name of ['job', 'readOwnSource', 'crunch', 'fs.promises.readFile', 'Timeout']) {
      assert.equal(worker.one(name).state, 'done', `${name} ended done`);
    }
    // Seen while the worker waited on its timer: who awaits whom, live states.
    assert.ok(worker.awaits(worker.one('job'), worker.one('Promise.all')), 'job awaits Promise.all');
    assert.ok(worker.awaits(worker.one('crunch'), worker.one('new Promise')), 'crunch awaits its pause');
    for (const name of ['job', 'crunch', 'Timeout']) {
      const t = worker.one(name);
      assert.notEqual(t.states[0], 'done', `${name} was seen pending before it ended: ${t.states.join(' → ')}`);
    }
    assert.equal(worker.one('readOwnSource').parent, worker.one('job').id);
    assert.deepEqual([worker.bye()?.exitCode, worker.bye()?.drained], [0, true], 'the worker delivered its bye');

    // The main thread's tasks are what they were before workers were traced.
    assert.deepEqual([...trace.tasks.values()].map((t) => t.name).sort(), ['Worker worker-job.js', 'events.once', 'events.once', 'main', 'runJob']);
    assert.equal(trace.one('Worker worker-job.js').kind, 'executor');
    assert.deepEqual(trace.loops().map((l) => l.name), ['main']);
    assert.equal(trace.findings().length + worker.findings().length, 0, 'no flags');
  });

  it('a worker terminated while busy: terminate() stays fast, nothing hangs, its leftovers end cancelled, no flag', async () => {
    const report = tempFile('report.json');
    const started = Date.now();
    const r = await runCli(['run', '--json', report, '--', 'node', fixture('workers/terminate-busy.js')]);
    const ms = Date.now() - started;
    assert.equal(r.code, 0, r.stderr);
    const took = Number(/terminated with 1 in (\d+) ms/.exec(r.stdout)?.[1]);
    // Fast is ~10 ms; the bounds leave room for a loaded machine and still catch an agent that holds the
    // worker (a flush waiting on its channel) or the program's exit.
    assert.ok(took < 1000, `terminate() took ${took} ms`);
    assert.match(r.stdout, /main ends/);
    assert.ok(ms < 20_000, `the run took ${ms} ms`);
    const rep = readReport(report);
    assert.deepEqual(rep.flags, [], 'no flag: the worker was stopped, its awaits did not hang');
    const spin = rep.tasks.find((t) => t.name === 'spinForever');
    assert.ok(spin, 'the worker was traced');
    assert.equal(spin.state, 'cancelled');
    assert.equal(spin.error?.type, 'WorkerStopped');
    assert.match(rep.loops.find((l) => l.id === spin.loop)?.name ?? '', /^worker \d+ \(spinner\)$/);
    assert.equal(rep.tasks.filter((t) => t.state === 'pending').length, 0, 'nothing left pending');
  });

  it('traces HTTP requests in CommonJS and ES module workers (http patched there when the worker loads it)', async () => {
    const trace = await runTraced(fixture('workers/http-workers.js'));
    assert.equal(trace.code, 0, trace.stderr);
    assert.match(trace.stdout, /pong \/cjs/);
    assert.match(trace.stdout, /pong \/esm/);
    assert.equal(trace.threads.length, 2);
    for (const [path, file] of [['/cjs', 'http-get.js'], ['/esm', 'http-get.mjs']]) {
      const worker = trace.threads.find((w) => w.loops()[0].name.endsWith(`(${file})`));
      assert.ok(worker, `the ${file} worker is traced`);
      const request = worker.named('HTTP GET').find((t) => t.name.endsWith(path));
      assert.ok(request, `${file}: its request is traced (${[...worker.tasks.values()].map((t) => t.name).join(', ')})`);
      assert.equal(request.created?.file, fixture(`workers/${file}`));
      assert.equal(request.state, 'done');
    }
  });

  it('leaves a worker created with env: {} untraced, and it still runs', async () => {
    const trace = await runTraced(fixture('workers/untraced-env.js'));
    assert.equal(trace.code, 0, trace.stderr);
    assert.match(trace.stdout, /from the hidden worker/);
    assert.match(trace.stdout, /from the visible worker/);
    assert.equal(trace.threads.length, 1, 'only the worker with the default env connected');
    const [visible] = trace.threads;
    assert.match(visible.loops()[0].name, /^worker \d+ \(visible\)$/);
    assert.equal(visible.one('visible').state, 'done');
    assert.equal(visible.named('hidden').length, 0);
    assert.equal(trace.named('Worker (eval)').length, 2, 'both workers are shown as executors of the main thread');
  });
});
