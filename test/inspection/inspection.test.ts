/**
 * The inspection object fed its three ways, with the real agents from dist/ (run `node scripts/build.mjs`):
 * a launch; a program someone else starts with the environment the inspection hands out (Node through
 * NODE_OPTIONS, Python through PYTHONPATH); ending when told.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { withAgent } from '../../src/inspection/agent-env';
import type { InspectionEvent } from '../../src/inspection/events';
import { Inspection, type ListenOptions } from '../../src/inspection/inspection';
import type { ModelDelta } from '../../src/model/types';

const root = resolve(__dirname, '../..');
const distDir = join(root, 'dist');
const relations = join(root, 'test/fixtures/node/relations.js');
const python = process.env.PYTHON ?? 'python3';

function recorder() {
  const events: InspectionEvent[] = [];
  return {
    events,
    listener: (e: InspectionEvent) => void events.push(e),
    types: () => [...new Set(events.map((e) => e.type))],
    deltas: () => events.flatMap((e): ModelDelta[] => (e.type === 'delta' ? [e.delta] : [])),
  };
}

function run(command: string[], env: Record<string, string | undefined>): Promise<number | null> {
  const child = spawn(command[0], command.slice(1), { env, stdio: 'ignore' });
  return new Promise((ok) => child.once('exit', (code) => ok(code)));
}

async function listen(rec: ReturnType<typeof recorder>, extra: Partial<ListenOptions> = {}): Promise<Inspection> {
  return Inspection.listen({ listener: rec.listener, distDir, ...extra });
}

test('launch: session, packed deltas, the program\'s output, then ended with the report', async () => {
  const rec = recorder();
  const inspection = await Inspection.launch({ command: ['node', relations] }, { listener: rec.listener, distDir });
  const end = await inspection.ended;
  assert.equal(end.exitCode, 0);
  assert.equal(rec.events[rec.events.length - 1].type, 'ended', 'ended comes last');
  const first = (type: string) => rec.events.findIndex((e) => e.type === type);
  assert.ok(first('session') >= 0 && first('session') < first('delta'), 'session before the first delta');
  assert.ok(rec.events.some((e) => e.type === 'output' && /relations done/.test(e.text)));
  assert.ok(rec.deltas().some((d) => d.upserts.some((t) => t.name === 'awaitedLeaf')), 'deltas carry tasks');
  assert.ok(end.report.tasks.some((t) => t.name === 'failingLeaf' && t.state === 'failed'));
  assert.equal(inspection.report(), end.report, 'the final report once ended');
  assert.ok(inspection.chromeTrace().traceEvents.length > 0);
});

test('listen (Node): a program started elsewhere with the handed-out NODE_OPTIONS connects; the inspection ends when it leaves', async () => {
  const rec = recorder();
  const inspection = await listen(rec);
  assert.ok(inspection.agent);
  const env = withAgent({ ...process.env, NODE_OPTIONS: '--no-warnings' }, 'node', inspection.agent);
  const code = await run(['node', relations], env);
  assert.equal(code, 0);
  const end = await inspection.ended;
  assert.equal(end.exitCode, 0, 'the exit code from the agent\'s goodbye');
  assert.equal(inspection.info?.runtime, 'node');
  assert.ok(rec.events.some((e) => e.type === 'session'));
  assert.ok(end.report.tasks.some((t) => t.name === 'storedLeaf' && t.state === 'done'));
  assert.deepEqual(end.report.command.slice(-1), [relations], 'the command from the agent\'s hello');
  assert.ok(rec.deltas().length > 0);
});

test('listen (Python): PYTHONPATH from the inspection, the program ends, so does the inspection', async () => {
  const rec = recorder();
  const inspection = await listen(rec);
  const env = withAgent({ ...process.env }, 'python', inspection.agent!);
  const program = join(root, 'test/fixtures/python/create_task_order.py');
  const code = await run([python, '-m', 'async_inspector', program], env);
  assert.equal(code, 0);
  const end = await inspection.ended;
  assert.equal(end.report.runtime, 'python');
  assert.ok(end.report.tasks.length > 0);
});

test('listen, ended when told: no agent ever connects; a second end is the same end', async () => {
  const rec = recorder();
  const inspection = await listen(rec, { endWhenAgentsLeave: false });
  const end = await inspection.end({ code: 3, signal: null });
  assert.equal(end.exitCode, 3);
  assert.equal(end.report.tasks.length, 0);
  assert.equal(await inspection.end(), end);
  assert.equal(rec.events.at(-1)?.type, 'ended');
  assert.ok(!rec.events.some((e) => e.type === 'session'));
  assert.equal(inspection.running, false);
});

test('listen, endWhenAgentsLeave false: programs come and go until the owner ends it', async () => {
  const rec = recorder();
  const inspection = await listen(rec, { endWhenAgentsLeave: false });
  const env = withAgent({ ...process.env }, 'node', inspection.agent!);
  await run(['node', '-e', 'setTimeout(() => {}, 20)'], env);
  await new Promise((ok) => setTimeout(ok, 600));
  assert.equal(inspection.running, true, 'still listening after the first program left');
  await run(['node', '-e', 'setTimeout(() => {}, 20)'], env);
  const end = await inspection.end();
  assert.ok(end.report.tasks.some((t) => t.id.startsWith('p1:')), 'the second program is the second connection');
});

test('listen, restart: the old program\'s tasks are dropped, its leaving does not end the run, the next program starts a fresh one', async () => {
  const rec = recorder();
  const inspection = await listen(rec);
  const env = withAgent({ ...process.env }, 'node', inspection.agent!);
  const program = (name: string) => ['node', '-e', `async function ${name}() { await new Promise((r) => setTimeout(r, 60000)); } ${name}(); console.log('up')`];
  const first = spawn(program('firstRun')[0], program('firstRun').slice(1), { env, stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise((ok) => first.stdout.once('data', ok));
  const names = () => inspection.snapshot().upserts.map((t) => t.name);
  for (const deadline = Date.now() + 15_000; !names().includes('firstRun');) {
    assert.ok(Date.now() < deadline, `firstRun never reached the model (${names().join(', ')})`);
    await new Promise((ok) => setTimeout(ok, 50));
  }
  const sessions = () => rec.events.filter((e) => e.type === 'session').length;
  assert.equal(sessions(), 1);
  assert.equal(inspection.restart(), true);
  assert.deepEqual(names(), [], 'the old run is gone at once');
  first.kill('SIGKILL');
  await new Promise((ok) => first.once('exit', ok));
  await new Promise((ok) => setTimeout(ok, 800)); // past the grace after the last agent left
  assert.equal(inspection.running, true, 'the old program leaving does not end a restarted inspection');
  assert.ok(!names().includes('firstRun'), 'nothing the old program still sent came in');
  const second = spawn(program('secondRun')[0], program('secondRun').slice(1), { env, stdio: 'ignore' });
  for (const deadline = Date.now() + 15_000; !names().includes('secondRun');) {
    assert.ok(Date.now() < deadline, `secondRun never reached the model (${names().join(', ')})`);
    await new Promise((ok) => setTimeout(ok, 50));
  }
  assert.equal(sessions(), 2, 'the new program\'s hello is a new session');
  second.kill('SIGKILL');
  const end = await inspection.end({ code: 0, signal: null });
  assert.ok(end.report.tasks.some((t) => t.name === 'secondRun'));
  assert.ok(!end.report.tasks.some((t) => t.name === 'firstRun'));
  assert.equal(inspection.restart(), false, 'an ended inspection cannot restart');
});
