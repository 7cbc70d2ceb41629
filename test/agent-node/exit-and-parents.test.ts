/**
 * Regressions: every task of a program that ends at once is reported (even when a capture is slow), the
 * parent and await edges after `return Promise.all(...)`, `bye.drained`, and a caught throw ending failed.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fixture, repo, runTraced } from './trace';

describe('node agent: exit, parents, outcomes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ai-agent-node-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reports every pending task of a program that drains at once, even when the first capture is slow', async () => {
    // A 1 MB source map is loaded by the first capture (tens of ms, like a capture preempted on a loaded
    // machine): before the fix that spent the whole start burst and only `main` was reported.
    const src = readFileSync(join(repo, 'test/cli/fixtures/never-settles.js'), 'utf8');
    const lines = src.split('\n').length;
    const mappings = Array.from({ length: lines }, (_, i) => (i === 0 ? 'AAAA' : 'AACA') + ',CAAC'.repeat(Math.floor(200_000 / lines))).join(';');
    writeFileSync(join(dir, 'never-settles.js'), `${src}\n//# sourceMappingURL=never-settles.js.map\n`);
    writeFileSync(join(dir, 'never-settles.js.map'), JSON.stringify({ version: 3, sources: ['never-settles.js'], names: [], mappings }));
    const trace = await runTraced(join(dir, 'never-settles.js'));
    const main = trace.one('main');
    const wait = trace.one('waitForSignal');
    const never = trace.one('new Promise');
    assert.ok(trace.awaits(main, wait), 'main awaits waitForSignal');
    assert.ok(trace.awaits(wait, never), 'waitForSignal awaits the promise nothing resolves');
    for (const t of [main, wait, never]) assert.equal(t.endedAt, null, `${t.name} is still pending`);
    assert.equal(trace.bye()?.drained, true, 'the loop drained');
  });

  it('keeps who-started-whom and who-awaits-whom after `return Promise.all(...)`', async () => {
    const trace = await runTraced(fixture('return-all.js'));
    const main = trace.one('main');
    const concurrent = trace.one('concurrent');
    const other = trace.one('other');
    assert.equal(concurrent.parent, main.id);
    assert.equal(other.parent, main.id, 'other() was started by main, not by concurrent');
    assert.ok(trace.awaits(main, concurrent), 'main awaits concurrent');
    assert.ok(trace.awaits(main, other), 'main awaits other');
    const last = trace.named('new Promise').find((t) => t.parent === main.id);
    assert.ok(last && trace.awaits(main, last), 'main awaits its last promise');
    assert.equal(trace.findings().length, 0, 'no flags');
  });

  it('keeps parents when a returned promise is awaited only later, through helpers and subclass methods', async () => {
    const trace = await runTraced(fixture('started-not-awaited-yet.js'));
    const main = trace.one('main');
    for (const name of ['concurrent', 'other', 'Base.run', 'Sub.run']) assert.equal(trace.one(name).parent, main.id, `${name} was started by main`);
    assert.ok(trace.awaits(main, trace.one('Base.run')));
    assert.ok(trace.awaits(main, trace.one('Sub.run')));
    assert.ok(trace.awaits(trace.one('other'), trace.named('new Promise').find((t) => t.parent === trace.one('other').id)!));
  });

  it('says whether the loop drained: false after process.exit()', async () => {
    const trace = await runTraced(fixture('exit-early.js'));
    assert.equal(trace.code, 3);
    assert.deepEqual([trace.bye()?.exitCode, trace.bye()?.drained], [3, false]);
  });

  it('ends an async function that threw, caught with .catch(), as failed', async () => {
    const trace = await runTraced(fixture('caught-throw.js'));
    assert.equal(trace.stdout, 'caught SyntaxError\n');
    const parse = trace.one('parse');
    assert.equal(parse.state, 'failed');
    assert.equal(parse.error?.type, 'SyntaxError');
    assert.equal(parse.error?.message, 'bad input: {');
    assert.equal(trace.findings().length, 0, 'a caught rejection is not a flag');
  });
});
