/**
 * Flush at a debugger stop, Node: the program runs under `node --inspect-brk` with the agent injected by
 * the real launcher; a CDP client (as js-debug is) resumes it, and when it stops on `debugger;` inside
 * `checkout` evaluates the agent's flush function in the global context. Before the program continues,
 * the model must hold what happened right before the stop and name the paused task.
 */
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { launch, type LaunchedProgram } from '../../src/inspection/launch';
import { InspectorModel } from '../../src/model/model';
import { NODE_PAUSE_FLUSH_EXPRESSION, WRITER_THREAD_NAME } from '../../src/protocol/debugger';
import { DevtoolsSession } from '../../src/attach/devtools';

const repo = resolve(__dirname, '../..');
const program = join(repo, 'test/fixtures/node/debug/paused-task.js');

interface Debugged {
  model: InspectorModel;
  cdp: DevtoolsSession;
  run: LaunchedProgram;
  /** The stop on `debugger;` in checkout (after the stop on the first line). */
  stopped: Promise<Record<string, unknown>>;
}

/** Starts `file` under --inspect-brk with the agent injected by the launcher, and connects a CDP client to it. */
async function inspected(file: string): Promise<{ model: InspectorModel; cdp: DevtoolsSession; run: LaunchedProgram }> {
  const model = new InspectorModel();
  let stderr = '';
  let onUrl: (url: string) => void = () => undefined;
  const url = new Promise<string>((ok) => (onUrl = ok));
  const run = await launch(
    { command: ['node', '--inspect-brk=0', file], distDir: join(repo, 'dist') },
    {
      message: (conn, msg) => model.apply(conn, msg),
      stdout: () => undefined,
      stderr: (text) => {
        stderr += text;
        const m = /ws:\/\/\S+/.exec(stderr);
        if (m) onUrl(m[0]);
      },
      warning: () => undefined,
      exit: () => undefined,
    },
  );
  try {
    return { model, run, cdp: await DevtoolsSession.open(await url) };
  } catch (err) {
    run.kill('SIGKILL');
    throw err;
  }
}

/** Starts the fixture under --inspect-brk with the agent, connects, lets it run to its `debugger;` statement. */
async function debugFixture(opts: { asyncStacks: boolean }): Promise<Debugged> {
  const { model, cdp, run } = await inspected(program);
  const first = cdp.once('Debugger.paused');
  await cdp.send('Runtime.enable');
  await cdp.send('Debugger.enable');
  // What js-debug does by default (showAsyncStacks): record async stack traces.
  if (opts.asyncStacks) await cdp.send('Debugger.setAsyncCallStackDepth', { maxDepth: 32 });
  await cdp.send('Runtime.runIfWaitingForDebugger');
  assert.equal((await first).reason, 'Break on start');
  const stopped = cdp.once('Debugger.paused');
  await cdp.send('Debugger.resume');
  return { model, cdp, run, stopped };
}

async function finish(d: Debugged): Promise<void> {
  await d.cdp.send('Debugger.resume');
  d.cdp.close(); // Node waits for its debugger to go before it exits
  const exit = await d.run.exited;
  assert.equal(exit.code, 0);
}

/** Evaluates the flush at the stop; resolves with its answer once the `paused` event is in (or 10 s passed). */
async function flushAtStop(d: Debugged): Promise<unknown> {
  const evaluated = await d.cdp.send('Runtime.evaluate', { expression: NODE_PAUSE_FLUSH_EXPRESSION, returnByValue: true });
  // The batch is on the socket; the launcher reads it while the program stays stopped.
  const deadline = Date.now() + 10_000;
  while ((d.model.paused as unknown) === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return (evaluated.result as { value: unknown }).value;
}

test('at a stop, the agent delivers what it holds and names the paused task', { timeout: 60_000 }, async () => {
  const d = await debugFixture({ asyncStacks: false });
  try {
    const at = await d.stopped;
    assert.equal((at.callFrames as { functionName: string }[])[0].functionName, 'checkout', 'stopped on the debugger statement');
    await new Promise((r) => setTimeout(r, 300)); // anything already on its way arrives meanwhile
    assert.equal(d.model.paused as unknown, undefined, 'nothing announced a stop before the flush');
    assert.ok(!d.model.snapshot().upserts.some((t) => t.name === 'audit'), 'audit() made right before the stop has not been sent yet');

    assert.equal(await flushAtStop(d), 'written', 'the stopped thread wrote the batch on the connected socket itself');
    const p = d.model.paused;
    assert.ok(p, 'the paused event arrived while the program is stopped');
    const snapshot = d.model.snapshot();
    const tasks = snapshot.upserts;
    const site = (id: number | null | undefined) => snapshot.sites?.find((s) => s.id === id);
    const byName = (name: string) => tasks.find((t) => t.name === name);
    assert.equal(p.task, byName('checkout')?.id, 'the paused task is checkout');
    const audit = byName('audit');
    assert.ok(audit, 'audit(), created right before the stop, is in the model');
    assert.equal(audit.state, 'done');
    for (const name of ['fetchUser', 'loadCart', 'sendMail']) {
      const t = byName(name);
      assert.equal(t?.state, 'pending', `${name} is pending`);
      assert.match(site(t.awaitAt)?.file ?? '', /paused-task.js$/, `${name} shows where it waits`);
      assert.equal(site(t.awaitAt)?.line, { fetchUser: 6, loadCart: 10, sendMail: 14 }[name]);
    }
    await finish(d);
  } finally {
    d.cdp.close();
    d.run.kill('SIGKILL');
  }
});

test('while a debugger records async stack traces V8 calls no promise hook (so the extension turns them off)', { timeout: 60_000 }, async () => {
  const d = await debugFixture({ asyncStacks: true });
  try {
    await d.stopped;
    await flushAtStop(d);
    const tasks = d.model.snapshot().upserts;
    assert.ok(tasks.some((t) => t.kind === 'timer'), 'timers (patched, not promise hooks) are still seen');
    assert.ok(!tasks.some((t) => t.kind === 'promise'), 'no promise at all: the hooks were silent');
    assert.equal(d.model.paused?.task, null, 'so no paused task either');
    await finish(d);
  } finally {
    d.cdp.close();
    d.run.kill('SIGKILL');
  }
});

/** A worker thread's inspector session, reached through the main thread's (NodeWorker), as js-debug reaches it. */
class WorkerTarget {
  private nextId = 1;
  private readonly pending = new Map<number, (result: Record<string, unknown>) => void>();
  private readonly waiters = new Map<string, (params: Record<string, unknown>) => void>();

  constructor(private readonly cdp: DevtoolsSession, readonly sessionId: string) {
    cdp.on('NodeWorker.receivedMessageFromWorker', (p) => {
      if (p.sessionId !== sessionId) return;
      const msg = JSON.parse(String(p.message)) as { id?: number; method?: string; result?: Record<string, unknown>; params?: Record<string, unknown> };
      if (msg.id !== undefined) this.pending.get(msg.id)?.(msg.result ?? {});
      else if (msg.method) this.waiters.get(msg.method)?.(msg.params ?? {});
    });
  }

  send(method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    const answered = new Promise<Record<string, unknown>>((ok) => this.pending.set(id, ok));
    void this.cdp.send('NodeWorker.sendMessageToWorker', { sessionId: this.sessionId, message: JSON.stringify({ id, method, params }) });
    return answered;
  }

  once(method: string): Promise<Record<string, unknown>> {
    return new Promise((ok) => this.waiters.set(method, ok));
  }
}

test('at a stop inside a worker thread, that worker\'s agent delivers what it holds and names the paused task', { timeout: 60_000 }, async () => {
  const { model, cdp, run } = await inspected(join(repo, 'test/fixtures/node/debug/paused-worker.js'));
  try {
    // Every new thread waits for us: the agent's writer thread is let go untouched (as js-debug lets it go on),
    // the program's worker is debugged.
    let onWorker: (w: WorkerTarget) => void = () => undefined;
    const worker = new Promise<WorkerTarget>((ok) => (onWorker = ok));
    cdp.on('NodeWorker.attachedToWorker', (p) => {
      const info = p.workerInfo as { title?: string };
      const target = new WorkerTarget(cdp, String(p.sessionId));
      if (String(info.title).includes(WRITER_THREAD_NAME)) void target.send('Runtime.runIfWaitingForDebugger');
      else onWorker(target);
    });
    const first = cdp.once('Debugger.paused');
    await cdp.send('Runtime.enable');
    await cdp.send('Debugger.enable');
    await cdp.send('NodeWorker.enable', { waitForDebuggerOnStart: true });
    await cdp.send('Runtime.runIfWaitingForDebugger');
    await first;
    await cdp.send('Debugger.resume');
    const w = await worker;
    let stopped = w.once('Debugger.paused');
    await w.send('Debugger.enable');
    await w.send('Runtime.runIfWaitingForDebugger');
    let at = await stopped;
    if (at.reason === 'Break on start') {
      stopped = w.once('Debugger.paused');
      await w.send('Debugger.resume');
      at = await stopped;
    }
    assert.equal((at.callFrames as { functionName: string }[])[0].functionName, 'checkout', 'the worker stopped on its debugger statement');
    await new Promise((r) => setTimeout(r, 300)); // anything already on its way arrives meanwhile
    assert.equal(model.paused as unknown, undefined, 'nothing announced a stop before the flush');
    assert.ok(!model.snapshot().upserts.some((t) => t.name === 'audit'), 'audit() made right before the stop has not been sent yet');

    const evaluated = await w.send('Runtime.evaluate', { expression: NODE_PAUSE_FLUSH_EXPRESSION, returnByValue: true });
    assert.equal((evaluated.result as { value?: unknown }).value, 'sent', 'the worker handed its batch to the writer thread (the main thread runs)');
    for (const deadline = Date.now() + 10_000; (model.paused as unknown) === undefined && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 20));
    const p = model.paused;
    assert.ok(p, 'the paused event arrived while the worker is stopped');
    const snapshot = model.snapshot();
    const tasks = snapshot.upserts;
    const site = (id: number | null | undefined) => snapshot.sites?.find((s) => s.id === id);
    const byName = (name: string) => tasks.find((t) => t.name === name);
    assert.equal(p.task, byName('checkout')?.id, 'the paused task is the worker\'s checkout');
    assert.equal(byName('audit')?.state, 'done', 'audit(), created right before the stop, is in the model');
    for (const name of ['fetchUser', 'loadCart', 'sendMail']) {
      const t = byName(name);
      assert.equal(t?.state, 'pending', `${name} is pending`);
      assert.equal(site(t.awaitAt)?.line, { fetchUser: 6, loadCart: 10, sendMail: 14 }[name], `${name} shows where it waits`);
    }
    await w.send('Debugger.resume');
    cdp.close();
    assert.equal((await run.exited).code, 0);
  } finally {
    cdp.close();
    run.kill('SIGKILL');
  }
});
