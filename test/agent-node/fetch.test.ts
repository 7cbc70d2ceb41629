/** fetch() is an HTTP request of its own, named by method and URL; undici's machinery stays out of sight. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixture, runTraced } from './trace';

describe('node agent: fetch', () => {
  it('shows each fetch and body read at its line, a refused one as failed, and nothing of undici', async () => {
    const trace = await runTraced(fixture('fetch.js'));
    assert.equal(trace.code, 0);
    assert.equal(trace.stdout, '3 TypeError AbortError\n');
    const tasks = [...trace.tasks.values()];
    const get = tasks.find((t) => /^fetch GET http:\/\/127\.0\.0\.1:\d+\/items\?page=1$/.test(t.name));
    assert.ok(get, tasks.map((t) => t.name).join(', '));
    assert.equal(get.kind, 'io');
    assert.equal(get.created?.line, 6);
    assert.equal(get.parent, trace.one('getItems').id);
    assert.equal(get.state, 'done');
    const body = trace.one('Response.json');
    assert.equal(body.created?.line, 7);
    assert.equal(body.state, 'done');
    const post = tasks.find((t) => t.name.startsWith('fetch POST http://127.0.0.1:'));
    assert.equal(post?.parent, trace.one('refused').id);
    assert.equal(post?.state, 'failed');
    assert.equal(post?.error?.type, 'TypeError');
    const cancelled = tasks.find((t) => t.name.startsWith('fetch GET http://127.0.0.1:') && t.name.endsWith('/slow'));
    assert.equal(cancelled?.state, 'cancelled', 'an aborted fetch is cancelled, not failed');
    assert.equal(cancelled?.error?.type, 'AbortError');
    assert.match(cancelled?.error?.message ?? '', /abort\(\) was called at fetch\.js:21 \(aborted\)$/, 'where abort() was called');
    assert.deepEqual(tasks.filter((t) => t.name.startsWith('dns.')).map((t) => t.name), [], 'listening on an IP address looks nothing up');
    // Only the program's own promises: no undici internals, no WebAssembly sites.
    const own = new Set(['main', 'getItems', 'refused', 'aborted', 'new Promise', 'Response.json', '.catch()']);
    const stray = tasks.filter((t) => t.kind === 'promise' && !own.has(t.name));
    assert.deepEqual(stray.map((t) => `${t.name} ${t.created?.file}:${t.created?.line}`), []);
    assert.deepEqual(tasks.filter((t) => t.created?.file.startsWith('wasm:')).map((t) => t.name), []);
  });
});
