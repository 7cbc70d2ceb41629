/**
 * The program stays the program's own: exit codes, output, timing; the agent delivers its events however
 * the program ends (process.exit, a throw, a signal), never throws into it, never keeps it alive.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { distDir, fixture, repo, runTraced } from './trace';

const run = promisify(execFile);
const agent = join(distDir, 'agent-node.js');

/** Runs `node --require agent file` directly with the given env (no launcher). */
async function runWithAgent(file: string, env: Record<string, string>): Promise<{ stdout: string; stderr: string; code: number; ms: number }> {
  const started = Date.now();
  try {
    const { stdout, stderr } = await run(process.execPath, ['--require', agent, file], { cwd: repo, env: { PATH: process.env.PATH ?? '', ...env } });
    return { stdout, stderr, code: 0, ms: Date.now() - started };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code, ms: Date.now() - started };
  }
}

describe('node agent: program lifecycle', () => {
  it('keeps stdout, stderr and the exit code the program set', async () => {
    const plain = await runWithAgent(fixture('output.js'), {});
    const trace = await runTraced(fixture('output.js'));
    assert.equal(plain.code, 7);
    assert.equal(trace.code, 7);
    assert.equal(trace.stdout, plain.stdout);
    assert.equal(trace.stdout, 'line one\nline two\n');
    assert.equal(trace.stderr, 'to stderr\n');
    const bye = trace.messages.at(-1);
    assert.equal(bye?.type, 'bye');
    assert.equal(bye?.type === 'bye' ? bye.exitCode : undefined, 7);
  });

  it('delivers its events when the program calls process.exit with an interval pending', async () => {
    const trace = await runTraced(fixture('exit-interval.js'));
    assert.equal(trace.code, 3);
    assert.equal(trace.stdout, 'exiting with interval object\n');
    const interval = trace.one('Interval');
    assert.equal(interval.kind, 'timer');
    assert.equal(interval.endedAt, null, 'still pending at exit');
    const waiting = trace.one('stillWaiting');
    assert.equal(waiting.endedAt, null);
    assert.equal(trace.messages.at(-1)?.type, 'bye');
  });

  it('delivers its events when the program throws, and the crash stays the program\'s', async () => {
    const trace = await runTraced(fixture('throws.js'));
    assert.equal(trace.code, 1);
    assert.match(trace.stderr, /Error: boom from the program/);
    assert.doesNotMatch(trace.stderr, /agent|inspector/i);
    assert.equal(trace.one('beforeCrash').state, 'done');
    const bye = trace.messages.at(-1);
    assert.equal(bye?.type === 'bye' ? bye.exitCode : undefined, 1);
  });

  it('delivers its events when the program is killed, and dies by the same signal', async () => {
    const trace = await runTraced(fixture('killed.js'), { onReady: (kill) => kill('SIGTERM') });
    assert.equal(trace.signal, 'SIGTERM');
    assert.equal(trace.code, null);
    assert.equal(trace.one('serve').endedAt, null, 'pending when killed');
    assert.equal(trace.messages.at(-1)?.type, 'bye');
  });

  it('reports its own failures on the channel, never to the program', async () => {
    const trace = await runTraced(fixture('agent-trouble.js'));
    assert.equal(trace.code, 0);
    assert.equal(trace.stdout, 'results 2,4\n');
    assert.equal(trace.stderr, '');
    const errors = trace.messages.filter((m) => m.type === 'agent-error');
    assert.ok(errors.length >= 1, 'the failure was reported');
    const texts = errors.map((m) => (m.type === 'agent-error' ? m.message : ''));
    assert.equal(new Set(texts).size, texts.length, 'each distinct failure once');
    assert.ok(texts.some((t) => t.includes('no stack limits here')));
  });

  it('does not keep a finished program alive, even when the channel cannot be reached', async () => {
    const env = { ASYNC_INSPECTOR_CHANNEL: 'unix:/nonexistent/async-inspector.sock', ASYNC_INSPECTOR_TOKEN: 't' };
    const result = await runWithAgent(fixture('output.js'), env);
    assert.equal(result.code, 7);
    assert.equal(result.stdout, 'line one\nline two\n');
    assert.equal(result.stderr, 'to stderr\n');
    // ~100 ms idle. A program kept alive never exits (the test's timeout catches that); these bounds leave
    // room for a loaded 2-core machine, where starting node alone can take seconds.
    assert.ok(result.ms < 8000, `exited after ${result.ms} ms`);
    const traced = await runTraced(fixture('relations.js'));
    // relations.js ends ~700 ms after start; the agent's exit handshake is bounded (0.5 s, 1 s while its writer starts).
    assert.ok(traced.ms < 10_000, `traced run took ${traced.ms} ms`);
  });

  it('does nothing at all without the launcher\'s environment', async () => {
    const { stdout: plain } = await run(process.execPath, [fixture('untouched.js')], { cwd: repo });
    const preloaded = await runWithAgent(fixture('untouched.js'), {});
    assert.equal(preloaded.stdout, plain);
  });
});
