/**
 * The agent's own flags as `finding` events: where they point, what they say, and that the program's
 * behaviour (output, exit code, crash) stays Node's.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fixture, runTraced } from './trace';

const flagFixture = (name: string): string => fixture(join('flags', name));

/**
 * For the quiet programs: a blocking threshold that a loaded machine's scheduling delays do not reach (a step
 * of a few ms can wait 100+ ms for the CPU there), still under the 400 ms a worker spins in
 * quiet-worker-thread.js, which must not count as the main loop's.
 */
const QUIET_ON_A_LOADED_MACHINE = { agentConfig: { blockThresholdMs: 300 } };

describe('node agent: flags', () => {
  it('never-awaited: the call line of a dropped async function promise, named, with its task', async () => {
    const trace = await runTraced(flagFixture('never-awaited.js'));
    assert.equal(trace.stdout, 'done\n');
    const [flag, ...more] = trace.findings();
    assert.equal(more.length, 0, `one flag: ${trace.findings().map((f) => f.message).join(' | ')}`);
    assert.equal(flag.kind, 'never-awaited');
    assert.equal(flag.location?.line, 16);
    assert.match(flag.message, /saveAudit\(\) is never awaited/);
    assert.equal(flag.task, trace.one('saveAudit').id);
  });

  it('never-awaited: a promise stored and awaited after the grace period is flagged, then retracted', async () => {
    const trace = await runTraced(flagFixture('quiet-background-set.js'), QUIET_ON_A_LOADED_MACHINE);
    assert.equal(trace.stdout, 'prefetched\nshutdown clean\n');
    const withdrawn = trace.findings('never-awaited', true);
    assert.equal(withdrawn.length, 1, 'prefetch() was a suspect past the grace period');
    assert.match(withdrawn[0].message, /prefetch\(\)/);
    assert.deepEqual(trace.findings(), [], 'withdrawn: nothing stands at the end');
  });

  it('blocking-call: the line running during the stall, its duration and stack; short stalls are not flagged', async () => {
    // Threshold 150 ms: the 600 ms spin is over it, the 15 ms one stays under it even when a loaded machine
    // makes that step wait 100+ ms for the CPU (the agent measures wall time).
    const trace = await runTraced(fixture('quick-blocking.js'), { agentConfig: { blockThresholdMs: 150 } });
    assert.equal(trace.code, 0);
    assert.doesNotMatch(trace.stderr, /debugger/i, 'the inspector session is gone before exit');
    const flags = trace.findings('blocking-call');
    assert.equal(flags.length, 1, `one stall over 150 ms: ${flags.map((f) => f.message).join(' | ')}`);
    const [flag] = flags;
    assert.equal(flag.location?.line, 6, 'inside the loop of spin()');
    assert.equal(flag.location?.function, 'spin');
    assert.ok(flag.stack?.some((s) => s.line === 9), 'the stack goes down to the callback that called spin(600)');
    assert.ok(flag.durationMs !== undefined && flag.durationMs >= 550 && flag.durationMs < 5000, `duration ${flag.durationMs}`);
    assert.match(flag.message, new RegExp(`blocked for ${flag.durationMs} ms in a Timeout callback \\(threshold 150 ms\\)`));
  });

  it('blocking-call: in an async function, names it; the stall [t - dur, t] lies over its running slice', async () => {
    const trace = await runTraced(fixture('async-blocking.js'));
    assert.equal(trace.code, 0);
    const crunch = trace.one('crunch');
    const [flag] = trace.findings('blocking-call');
    assert.equal(flag?.location?.line, 5, 'inside spin()');
    assert.equal(flag.task, crunch.id);
    assert.match(flag.message, new RegExp(`^The event loop was blocked for ${flag.durationMs} ms in crunch \\(threshold 100 ms\\)`));
    // The timeline's running slices and stall band, as the model keeps them.
    const steps = crunch.steps ?? [];
    assert.equal(steps.length, 1, `one running slice, the resume that held the loop: ${JSON.stringify(steps)}`);
    const [[start, dur]] = steps;
    const band = [flag.t - flag.durationMs!, flag.t];
    // The slice is timed by the resume hooks, the stall by the heartbeat (10 ms beats): they agree within a beat or two.
    assert.ok(Math.abs(start - band[0]) < 40 && Math.abs(start + dur - band[1]) < 40,
      `the stall band ${band.join('–')} lies over the running slice ${start}–${start + dur}`);
  });

  it('blocking-call: the synchronous start of an async function (no resume hook) still gets its running slice', async () => {
    const trace = await runTraced(fixture('timer-blocking.js'));
    const warmUp = trace.one('warmUp');
    const [raised] = trace.findings('blocking-call');
    assert.ok(raised, 'the stall is flagged');
    assert.equal(raised.task, warmUp.id);
    assert.deepEqual(warmUp.steps, [[raised.t - raised.durationMs!, raised.durationMs]], 'one slice: the stall');
  });

  it('blocking-call: a program that exits inside the stall keeps its exit code and is still flagged', async () => {
    const trace = await runTraced(fixture('spin-then-exit.js'));
    assert.deepEqual([trace.code, trace.stdout, trace.stderr], [4, 'exiting\n', '']);
    const [flag] = trace.findings('blocking-call');
    // Line 5 when the writer thread sampled the spin; line 7 (process.exit, still inside the stalling
    // callback) when a loaded machine kept it off the CPU and the exit handler took the sample itself.
    assert.ok([5, 7].includes(flag?.location?.line ?? 0), `flagged inside the stalling callback: ${JSON.stringify(flag?.location)}`);
  });

  // A loaded machine can keep the writer thread off the CPU for the whole stall: no sample is taken in it. The
  // 'stall sample' fault makes every sample fail, which is that, every time.
  const NO_SAMPLE = { env: { ASYNC_INSPECTOR_FAULTS: 'stall sample' } };
  const unsampled = /The line running could not be sampled in time .*: located where that task was created\.$/;

  it('blocking-call without a sample: a resume the promise hooks timed names its async function, at its call', async () => {
    const trace = await runTraced(fixture('async-blocking.js'), NO_SAMPLE);
    const [flag, ...more] = trace.findings('blocking-call');
    assert.equal(more.length, 0);
    assert.equal(flag?.task, trace.one('crunch').id);
    assert.equal(flag.location?.line, 12, 'where crunch() was called');
    assert.match(flag.message, /blocked for \d+ ms in crunch \(threshold 100 ms\)/);
    assert.match(flag.message, unsampled);
    assert.equal(trace.one('crunch').steps?.length, 1, 'its slice is sent once');
  });

  it('blocking-call without a sample: a timer callback nothing timed is not pointed at a line it cannot vouch for', async () => {
    // Nothing times a timer callback (a clock read per callback); a heartbeat gap alone does not say whose it was.
    const trace = await runTraced(fixture('quick-blocking.js'), { ...NO_SAMPLE, agentConfig: { blockThresholdMs: 150 } });
    assert.equal(trace.code, 0);
    assert.deepEqual(trace.findings('blocking-call'), []);
  });

  it('blocking-call: follows AgentConfig.blockThresholdMs', async () => {
    const trace = await runTraced(fixture('quick-blocking.js'), { agentConfig: { blockThresholdMs: 2000 } });
    assert.deepEqual(trace.findings('blocking-call'), []);
  });

  it('blocking-call: work in a worker thread never counts', async () => {
    const trace = await runTraced(flagFixture('quiet-worker-thread.js'), QUIET_ON_A_LOADED_MACHINE);
    assert.match(trace.stdout, /worker result/);
    assert.deepEqual(trace.findings(), []);
  });

  it('unhandled-rejection: where the promise was made and where it threw; Node still crashes with code 1', async () => {
    const trace = await runTraced(flagFixture('unhandled-rejection.js'));
    assert.equal(trace.code, 1);
    assert.match(trace.stderr, /Error: config missing/);
    const [flag, ...more] = trace.findings();
    assert.equal(more.length, 0);
    assert.equal(flag.kind, 'unhandled-rejection');
    assert.equal(flag.location?.line, 8, 'the call that made the rejected promise');
    // What was thrown is the flagged task's error (the details pane shows it under the flag's task).
    const loadConfig = trace.one('loadConfig');
    assert.equal(flag.task, loadConfig.id);
    assert.equal(loadConfig.error?.type, 'Error');
    assert.equal(loadConfig.error?.message, 'config missing');
    // Where it threw: sent with the finding (its error's stack), which the model does not keep yet; read off the wire.
    const sent = trace.events.find((e) => e.e === 'finding' && e.kind === 'unhandled-rejection');
    const thrownAt = sent?.e === 'finding' ? sent.error?.stack?.[0] : undefined;
    const site = trace.events.find((e) => e.e === 'site' && e.id === thrownAt);
    assert.equal(site?.e === 'site' ? site.line : undefined, 4, 'the throw');
  });

  it("unhandled-rejection: also when the program has its own listener, which still runs (no crash)", async () => {
    const trace = await runTraced(flagFixture('unhandled-with-listener.js'));
    assert.equal(trace.code, 0);
    assert.equal(trace.stdout, 'program saw: quota exceeded\nstill running\n');
    const [flag] = trace.findings('unhandled-rejection');
    assert.equal(flag.location?.line, 7);
    assert.match(flag.message, /listener/);
  });

  it('unhandled-rejection: withdrawn when the rejection is handled later', async () => {
    const trace = await runTraced(fixture('late-handled.js'), { runtimeArgs: ['--unhandled-rejections=warn'] });
    assert.equal(trace.stdout, 'handled late\n');
    const [flag, ...more] = trace.findings('unhandled-rejection', true);
    assert.equal(more.length, 0);
    assert.equal(flag.location?.line, 2);
    assert.deepEqual(trace.findings('unhandled-rejection'), [], 'withdrawn: it no longer stands');
  });

  it('stays quiet on Node internals: http, fs/promises, timers/promises, streams', async () => {
    const trace = await runTraced(flagFixture('quiet-node-internals.js'), QUIET_ON_A_LOADED_MACHINE);
    assert.equal(trace.stdout, 'hello true true\n');
    assert.deepEqual(trace.findings(), []);
  });
});
