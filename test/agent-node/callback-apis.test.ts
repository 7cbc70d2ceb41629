/**
 * dns, crypto and zlib callback APIs each appear as a task with its kind, name and site; the callback runs as
 * that task (what it starts is its child); a failed call is failed with its error; synchronous forms are not
 * tasks; ES modules' named imports see the same wrappers.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { fixture, runTraced, type Task, type Trace } from './trace';

const names = (trace: Trace): string => [...trace.tasks.values()].map((t) => t.name).join(', ');

function shown(trace: Trace, name: string, kind: string, line: number): Task {
  const task = [...trace.tasks.values()].find((t) => t.name === name);
  assert.ok(task, `${name} among ${names(trace)}`);
  assert.equal(task.kind, kind, name);
  assert.equal(task.created?.line, line, `${name} created at the calling line`);
  return task;
}

describe('node agent: dns, crypto and zlib callbacks', () => {
  let trace: Trace;
  before(async () => {
    trace = await runTraced(fixture('callback-apis.js'));
  });

  it('runs the program unchanged', () => {
    assert.equal(trace.code, 0);
    assert.equal(trace.stdout, 'callback apis done\n');
    assert.equal(trace.stderr, '');
  });

  it('shows each call by kind, name and site, with what its callback started as its child', () => {
    const lookup = shown(trace, 'dns.lookup localhost', 'io', 29);
    const pbkdf2 = shown(trace, 'crypto.pbkdf2', 'executor', 33);
    const gzip = shown(trace, 'zlib.gzip', 'executor', 37);
    for (const [resource, child] of [[lookup, 'afterLookup'], [pbkdf2, 'afterPbkdf2'], [gzip, 'afterGzip']] as const) {
      assert.equal(resource.state, 'done', resource.name);
      assert.equal(trace.one(child).parent, resource.id, `${child} started in the ${resource.name} callback`);
    }
    assert.equal(shown(trace, 'crypto.generateKeyPair ec', 'executor', 50).state, 'done');
  });

  it('ends a failed call as failed, with its error', () => {
    const gunzip = shown(trace, 'zlib.gunzip', 'executor', 41);
    assert.equal(gunzip.state, 'failed');
    assert.equal(gunzip.error?.type, 'Error');
    assert.match(gunzip.error?.message ?? '', /incorrect header check/);
    assert.equal(trace.one('afterGunzipFailed').parent, gunzip.id);
    const query = shown(trace, 'dns.resolve4 example.invalid', 'io', 46);
    assert.equal(query.state, 'failed', 'a dns.Resolver method, with no server to answer');
    assert.match(query.error?.message ?? '', /ECONNREFUSED|ETIMEOUT/);
  });

  it('does not show the synchronous forms', () => {
    const all = [...trace.tasks.values()].map((t) => t.name).concat(trace.rollups().map((r) => r.name));
    assert.equal(all.filter((n) => n === 'crypto.pbkdf2').length, 1, 'pbkdf2Sync is not a second one');
    assert.equal(all.filter((n) => n === 'zlib.gzip').length, 1, 'gzipSync is not a second one');
    assert.deepEqual(all.filter((n) => /randomBytes|randomInt|Sync/.test(n)), []);
  });

  it('rolls up many lookups by the API name, without building each one\'s name', async () => {
    const many = await runTraced(fixture('callback-apis.js'), { args: ['many'] });
    assert.equal(many.code, 0);
    const rolled = many.rollups().filter((r) => r.name.startsWith('dns.lookup'));
    assert.ok(rolled.length > 0, 'some were rolled up');
    assert.deepEqual([...new Set(rolled.map((r) => `${r.kind} ${r.name}`))], ['io dns.lookup']);
  });

  it('wraps the named exports ES modules import', async () => {
    const esm = await runTraced(fixture('callback-apis.mjs'));
    assert.equal(esm.code, 0);
    assert.equal(esm.stdout, 'esm callback apis done\n');
    const lookup = shown(esm, 'dns.lookup localhost', 'io', 10);
    assert.equal(esm.one('afterLookup').parent, lookup.id);
    shown(esm, 'crypto.pbkdf2', 'executor', 11);
    shown(esm, 'zlib.gzip', 'executor', 12);
    assert.equal(shown(esm, 'zlib.gunzip', 'executor', 13).state, 'failed');
  });
});
