import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, readReport, runCli, tempFile } from './helpers';

const TASKS = fixture('tasks.js');
const NEVER = fixture('never-settles.js');

test('the JSON report lists the program’s async functions with state, parent and creation site', async () => {
  const json = tempFile('report.json');
  const r = await runCli(['run', '--json', json, '--', 'node', TASKS]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'done\n');
  const report = readReport(json);
  assert.equal(report.runtime, 'node');
  const byName = (n: string) => report.tasks.filter((t) => t.name === n);

  const users = byName('fetchUser');
  assert.equal(users.length, 3, JSON.stringify(report.tasks.map((t) => t.name)));
  assert.ok(users.every((t) => t.state === 'done' && t.kind === 'promise'));
  assert.deepEqual(users.map((t) => t.created?.line).sort(), [15, 16, 16], 'created at the calling lines');
  assert.ok(users.every((t) => t.created?.file === TASKS));
  assert.ok(users.every((t) => t.endedAt! >= t.createdAt + 140), 'each slept 150 ms');

  const [main] = byName('main');
  assert.equal(main.state, 'done');
  assert.equal(main.created?.line, 21);
  assert.ok(users.every((t) => t.parent === main.id), 'main started them');

  const [fail] = byName('failLater');
  assert.equal(fail.state, 'failed');
  assert.equal(fail.error?.message, 'expected failure');
  assert.equal(report.counts.failed >= 1, true);

  // The human summary shows the tree with sites.
  assert.match(r.stderr, /Task tree/);
  assert.match(r.stderr, /done\s+main\s+.*tasks\.js:21/);
  assert.match(r.stderr, /fetchUser.*tasks\.js:1[56]/);
  assert.match(r.stderr, /failed\s+.*failLater.*expected failure/);
});

test('a never-settling await chain is flagged pending-at-exit at the innermost await; --fail-on turns it into exit 1', async () => {
  const json = tempFile('report.json');
  const plain = await runCli(['run', '--json', json, '--', 'node', NEVER]);
  assert.equal(plain.code, 0, 'Node exits 0 when it runs out of work');
  const flags = readReport(json).flags.filter((f) => f.kind === 'pending-at-exit');
  assert.equal(flags.length, 1, JSON.stringify(readReport(json).flags));
  const [flag] = flags;
  assert.equal(flag.location?.file, NEVER);
  assert.ok([3, 7].includes(flag.location!.line), `innermost await or creation, got line ${flag.location!.line}`);
  assert.match(flag.message, /main → waitForSignal/);
  assert.match(plain.stderr, /pending-at-exit\s+.*never-settles\.js:[37]/);

  const failing = await runCli(['run', '--fail-on', 'pending-at-exit', '--', 'node', NEVER]);
  assert.equal(failing.code, 1);
  assert.match(failing.stderr, /failing \(--fail-on\): found pending-at-exit/);

  const other = await runCli(['run', '--fail-on', 'blocking-call,deadlock', '--', 'node', NEVER]);
  assert.equal(other.code, 0, 'kinds that were not found leave the program’s exit code');
});

test('a child process traced too: its tasks come with namespaced ids in the same report', async () => {
  const json = tempFile('report.json');
  const r = await runCli(['run', '--json', json, '--', 'node', fixture('parent.js')]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'child said: hi\n');
  const report = readReport(json);
  const parent = report.tasks.find((t) => t.name === 'parentMain');
  const child = report.tasks.find((t) => t.name === 'childWork');
  assert.ok(parent && child, JSON.stringify(report.tasks.map((t) => [t.id, t.name])));
  assert.match(parent.id, /^\d+$/);
  assert.match(child.id, /^p1:\d+$/, 'the second process’s ids are namespaced');
  assert.equal(child.created?.file, fixture('child.js'));
  assert.equal(child.state, 'done');
  assert.ok(child.createdAt > parent.createdAt, 'both on one session clock');
});
