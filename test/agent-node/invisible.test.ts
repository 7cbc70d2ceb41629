/**
 * The agent is invisible to the program: objects it tracks print and reflect exactly as without it (its
 * records sit in private fields, not symbol properties), and rejection reasons read without touching the
 * promise are shown as the error's first line.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fixture, repo, runTraced } from './trace';

describe('node agent: invisible to the program', () => {
  it('promises, timers, sockets and requests print the same traced and untraced', async () => {
    const file = fixture('inspect-objects.js');
    const plain = execFileSync(process.execPath, [file], { cwd: repo, encoding: 'utf8' });
    const trace = await runTraced(file);
    assert.equal(trace.code, 0);
    assert.match(plain, /^promise Promise \{ 42 \} 0$/m);
    assert.equal(trace.stdout, plain);
  });

  it('shows a rejection reason by its first line (an AbortError, a thrown string); an abort is a cancel', async () => {
    const trace = await runTraced(fixture('inspect-objects.js'));
    const aborted = [...trace.tasks.values()].find((t) => t.name === 'timers/promises.setTimeout');
    assert.equal(aborted?.state, 'cancelled');
    assert.equal(aborted?.error?.type, 'AbortError');
    assert.equal(aborted?.error?.message, 'The operation was aborted — abort() was called at inspect-objects.js:37 (main)', 'where abort() was called');
    assert.equal((aborted?.error as { stack?: number[] } | undefined)?.stack?.length, 1, 'its stack: the abort() call');
    assert.equal(trace.one('rejectsWithString').state, 'failed');
    assert.deepEqual(trace.one('rejectsWithString').error, { type: 'rejection', message: "'plain string'" });
  });
});
