import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { launch, LaunchError, type LaunchEvents } from '../../src/inspection/launch';
import { agentEnvironment } from '../../src/inspection/agent-env';
import { injectAgent } from '../../src/inspection/runtime';
import type { AgentMessage } from '../../src/protocol/events';

const fixtures = join(__dirname, 'fixtures');
// A dist folder whose agent does nothing: these tests drive the channel by hand.
const emptyDist = mkdtempSync(join(tmpdir(), 'ai-dist-'));
writeFileSync(join(emptyDist, 'agent-node.js'), '');

function recorder() {
  const messages: AgentMessage[] = [];
  const warnings: string[] = [];
  let stdout = '';
  let exitedAfterMessages = 0;
  const events: LaunchEvents = {
    message: (_conn, msg) => messages.push(msg),
    stdout: (d) => (stdout += d),
    stderr: () => {},
    warning: (w) => warnings.push(w),
    exit: () => (exitedAfterMessages = messages.length),
  };
  return { events, messages, warnings, get stdout() { return stdout; }, get atExit() { return exitedAfterMessages; } };
}

test('delivers every channel message before exit, skips a malformed line, keeps the exit code', async () => {
  const rec = recorder();
  const program = await launch(
    { command: ['node', join(fixtures, 'fake-agent.js')], env: { EXIT_CODE: '3' }, distDir: emptyDist },
    rec.events,
  );
  const { code } = await program.exited;
  assert.equal(code, 3);
  assert.deepEqual(rec.messages.map((m) => m.type), ['hello', 'batch', 'bye']);
  assert.equal(rec.atExit, 3, 'exit fired after all messages');
  assert.match(rec.warnings.join('\n'), /malformed channel line/);
  assert.match(rec.stdout, /fake agent done/);
});

test('rejects a connection without the session token', async () => {
  const rec = recorder();
  const program = await launch({ command: ['node', join(fixtures, 'fake-agent.js'), 'bad-token'], distDir: emptyDist }, rec.events);
  await program.exited;
  assert.equal(rec.messages.length, 0);
  assert.match(rec.warnings.join('\n'), /refused a channel connection: its first line was not a hello with the session token/);
});

test('runtime options that take a value are not mistaken for the program', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ai-opts-'));
  try {
    const script = join(dir, 'ok.js');
    writeFileSync(script, 'console.log("ran")\n');
    // A listed option, and one the list does not know (its value does not look like a script).
    for (const opts of [['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '50'], ['--inspect-publish-uid', 'stderr']]) {
      const rec = recorder();
      const program = await launch({ command: [process.execPath, ...opts, script], distDir: emptyDist }, rec.events);
      assert.equal((await program.exited).code, 0, opts.join(' '));
      assert.equal(rec.stdout, 'ran\n');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a missing program or runtime is a clear LaunchError', async () => {
  const rec = recorder();
  await assert.rejects(launch({ command: ['node', 'nope/missing.js'], distDir: emptyDist }, rec.events),
    (e: Error) => e instanceof LaunchError && /program not found: .*nope\/missing\.js/.test(e.message));
  await assert.rejects(launch({ command: ['node', '--inspect', 'gone.js'], distDir: emptyDist }, rec.events),
    (e: Error) => e instanceof LaunchError && /program not found: .*gone\.js/.test(e.message));
  await assert.rejects(launch({ command: ['/no/such/python3', 'x.py'], distDir: emptyDist }, rec.events),
    (e: Error) => e instanceof LaunchError && /runtime not found: \/no\/such\/python3/.test(e.message));
  await assert.rejects(launch({ command: ['ruby', 'x.rb'], distDir: emptyDist }, rec.events),
    (e: Error) => e instanceof LaunchError && /cannot tell/.test(e.message));
});

test('kill stops the program and its children', async () => {
  const rec = recorder();
  const program = await launch({ command: ['node', join(fixtures, 'sleeper.js')], distDir: emptyDist }, rec.events);
  await until('the fixture to print its grandchild', () => rec.stdout.includes('grandchild'));
  const { grandchild } = JSON.parse(rec.stdout) as { grandchild: number };
  program.kill();
  const { signal } = await program.exited;
  assert.equal(signal, 'SIGTERM');
  // The group's signal reaches the grandchild at once, but its exit is not instant on a loaded machine: poll.
  await until(`grandchild ${grandchild} to be gone`, () => !isRunning(grandchild));
});

/** Polls `check` every 20 ms; fails after 10 s (a deadline a loaded machine keeps, not a fixed wait). */
async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    assert.ok(Date.now() < deadline, `timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Alive and not a zombie (an unreaped zombie has already stopped running). */
function isRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

test('Python commands get -m async_inspector before the script, interpreter options kept', () => {
  const env = { PYTHONPATH: '/user/lib' };
  const agent = (dist: string) => agentEnvironment('unix:/s', 'tok', {}, dist);
  const inj = injectAgent(['python3', '-u', '-X', 'dev', 'app.py', '--flag'], 'python', env, agent('/d'));
  assert.deepEqual(inj.argv, ['python3', '-u', '-X', 'dev', '-m', 'async_inspector', 'app.py', '--flag']);
  assert.equal(inj.env.PYTHONPATH, '/d/python:/user/lib');
  const mod = injectAgent(['python3', '-m', 'pkg.main', 'a'], 'python', {}, agent('/d'));
  assert.deepEqual(mod.argv, ['python3', '-m', 'async_inspector', '-m', 'pkg.main', 'a']);
  const node = injectAgent(['node', 'app.js'], 'node', { NODE_OPTIONS: '--max-old-space-size=100' }, agent('/d d'));
  assert.equal(node.env.NODE_OPTIONS, '--max-old-space-size=100 --require "/d d/agent-node.js"');
  assert.equal(node.env.ASYNC_INSPECTOR_TOKEN, 'tok');
});
