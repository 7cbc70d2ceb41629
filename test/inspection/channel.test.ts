/**
 * The channel admits no one else: a second local process tries without the token, with a wrong one, with a
 * garbage first line, with a line too long for a hello, by replaying a captured hello, by saying nothing, by
 * flooding; each connection is refused and counted while the real agents' session goes on. The socket's
 * directory is private and gone after the session, also after `kill -9` of the launcher (run `node scripts/build.mjs`).
 */
import { strict as assert } from 'node:assert';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { ChannelServer } from '../../src/inspection/channel';
import type { AgentMessage } from '../../src/protocol/events';

const root = resolve(__dirname, '../..');
const intruder = join(__dirname, 'fixtures/intruder.js');
const fakeAgent = join(__dirname, 'fixtures/fake-agent.js');

function node(args: string[], env: NodeJS.ProcessEnv = process.env, as?: { uid: number; gid: number }): Promise<string> {
  return new Promise((ok, fail) => execFile(process.execPath, args, { env, timeout: 60_000, ...as }, (err, out) => (err ? fail(err) : ok(out))));
}

/** Another user to try from: `nobody`, when these tests run as root (as CI does); otherwise only the same user is tried. */
const OTHER_USER = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;

async function until(what: string, check: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('a second process is refused each way it tries; the count is kept; the agents connected go on', async () => {
  const messages: Array<{ conn: number; msg: AgentMessage }> = [];
  const warnings: string[] = [];
  const reasons: string[] = [];
  const { channel, address } = await ChannelServer.open(
    { message: (conn, msg) => messages.push({ conn, msg }), warning: (w) => warnings.push(w), rejected: (r) => reasons.push(r) },
    { helloTimeoutMs: 1000, maxUngreeted: 64 },
  );
  const dir = dirname(address.replace(/^unix:/, ''));
  assert.equal(statSync(dir).mode & 0o777, 0o700, 'the socket directory is private');

  // The real agent: says hello with the token and stays connected.
  const hello = JSON.stringify({ type: 'hello', protocol: 2, token: channel.token, runtime: 'node', pid: 4242, ppid: 1,
    argv: ['app'], cwd: '/', agentVersion: 't', runtimeVersion: 'v', startEpochMs: Date.now() });
  const agent: Socket = createConnection(address.replace(/^unix:/, ''));
  agent.write(hello + '\n');
  await until('the agent\'s hello', () => messages.length === 1);

  const tries = ['no-token', 'wrong-token', 'garbage-first', 'long-first-line', 'replay', 'silent'];
  for (const mode of tries) {
    const out = JSON.parse(await node([intruder, mode, address, hello], { ...process.env, STOLEN_TOKEN: channel.token }));
    assert.equal(out.refused, true, `${mode}: the connection was closed`);
  }
  if (OTHER_USER) {
    // Another user, even holding the token, cannot reach the socket: its directory is 0700.
    const out = JSON.parse(await node([intruder, 'other-user', address], { ...process.env, STOLEN_TOKEN: channel.token }, OTHER_USER));
    assert.equal(out.connectError, 'EACCES', 'another user is stopped by the file system before the channel');
  }
  // A flood, while a real agent of another process connects and finishes its session. The cap evicts the oldest
  // connection not greeted yet: with 16, a loaded machine once accepted 16 flooding connections before it read
  // the agent's hello (its write then failed, EPIPE); 64 still refuses most of the 300 as too many.
  const env = { ...process.env, ASYNC_INSPECTOR_CHANNEL: address, ASYNC_INSPECTOR_TOKEN: channel.token };
  const [flood, fake] = await Promise.all([node([intruder, 'flood', address]), node([fakeAgent], env)]);
  assert.equal(JSON.parse(flood).refused, true, 'every flooding connection was closed');
  assert.match(fake, /fake agent done/);

  agent.write('{"type":"batch","seq":2,"dropped":0,"events":[]}\n');
  await until('the first agent\'s batch', () => messages.some((m) => m.conn === 0 && m.msg.type === 'batch'));
  const conns = new Set(messages.map((m) => m.conn));
  assert.equal(conns.size, 2, 'only the two agents\' connections delivered anything');
  assert.ok(messages.some((m) => m.conn !== 0 && m.msg.type === 'bye'), 'the agent that came during the flood got through');
  assert.equal(channel.rejected, tries.length + 300, `refusals: ${[...new Set(reasons)].join('; ')}`);
  assert.equal(reasons.length, channel.rejected);
  assert.equal(warnings.filter((w) => /refused/.test(w)).length, 1, 'one warning, then counted');
  for (const why of ['session token', 'too long', 'replayed', 'no hello in time', 'too many']) {
    assert.ok(reasons.some((r) => r.includes(why)), `a refusal for "${why}"`);
  }
  agent.destroy();
  channel.close();
  assert.equal(existsSync(dir), false, 'the socket directory is removed at the end');
});

test('nothing stays in the temp folder after a session, nor after kill -9 of the launcher (the next one sweeps it)', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'rel-channel-'));
  const env = { ...process.env, TMPDIR: tmp };
  const cli = join(root, 'dist/cli.js');
  try {
    await node([cli, 'run', '--', process.execPath, '-e', 'setTimeout(() => {}, 10)'], env);
    assert.deepEqual(readdirSync(tmp), [], 'an ordinary session leaves nothing');

    const launcher = spawn(process.execPath, [cli, 'run', '--', process.execPath, '-e', 'console.log("pid=" + process.pid); setInterval(() => {}, 1000)'],
      { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    launcher.stdout.on('data', (d) => (out += d));
    await until('the program to start', () => /pid=\d+/.test(out));
    launcher.kill('SIGKILL');
    await new Promise((r) => launcher.once('exit', r));
    try {
      process.kill(-Number(/pid=(\d+)/.exec(out)![1]), 'SIGKILL');
    } catch { /* already gone */ }
    assert.equal(readdirSync(tmp).filter((n) => n.startsWith('async-inspector-')).length, 1, 'the killed launcher left its directory');
    mkdirSync(join(tmp, 'async-inspector-1-other')); // not one of ours by name: left alone
    await node([cli, 'run', '--', process.execPath, '-e', 'setTimeout(() => {}, 10)'], env);
    assert.deepEqual(readdirSync(tmp), ['async-inspector-1-other'], 'the next session swept the dead launcher\'s directory');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('an agent\'s unreadable lines are skipped, counted and told once; its good lines around them get through', async () => {
  const messages: AgentMessage[] = [];
  const warnings: string[] = [];
  const { channel, address } = await ChannelServer.open({ message: (_c, msg) => messages.push(msg), warning: (w) => warnings.push(w) });
  const agent = createConnection(address.replace(/^unix:/, ''));
  agent.write(JSON.stringify({ type: 'hello', protocol: 2, token: channel.token, runtime: 'python', pid: 7, ppid: 1,
    argv: ['app.py'], cwd: '/', agentVersion: 't', runtimeVersion: 'v', startEpochMs: 1 }) + '\n');
  agent.write('not json\n{"type":"nonsense"}\n'.repeat(500) + '{"type":"bye","t":3}\n');
  await until('the bye', () => messages.some((m) => m.type === 'bye'));
  assert.equal(channel.malformedLines, 1000);
  assert.equal(warnings.length, 1, `one warning, not one per line: ${warnings.slice(0, 3).join(' | ')}`);
  assert.match(warnings[0], /malformed channel line.*only counted/);
  agent.destroy();
  channel.close();
});

test('at most maxProcesses traced processes at once: one more is refused and counted, a worker thread is not a process', async () => {
  const messages: AgentMessage[] = [];
  const warnings: string[] = [];
  const { channel, address } = await ChannelServer.open(
    { message: (_c, msg) => messages.push(msg), warning: (w) => warnings.push(w) }, { maxProcesses: 2 });
  const agent = (pid: number, threadId?: number): Socket => {
    const s = createConnection(address.replace(/^unix:/, ''));
    s.write(JSON.stringify({ type: 'hello', protocol: 2, token: channel.token, runtime: 'node', pid, ppid: 1, argv: ['app.js'],
      cwd: '/', agentVersion: 't', runtimeVersion: 'v', startEpochMs: pid, ...(threadId === undefined ? {} : { threadId }) }) + '\n');
    return s;
  };
  const hellos = () => messages.filter((m) => m.type === 'hello').length;
  const first = agent(1);
  const second = agent(2);
  await until('two processes', () => hellos() === 2);
  const worker = agent(2, 5); // a worker thread of process 2
  await until('the worker thread', () => hellos() === 3);
  agent(3);
  await until('the third process refused', () => channel.rejected === 1);
  assert.equal(hellos(), 3);
  assert.match(warnings.join('\n'), /more than 2 traced processes at once \(pid 3 runs untraced\)/);
  first.destroy();
  await until('the first process gone', () => channel.connections === 2);
  agent(4);
  await until('a process admitted again', () => hellos() === 4);
  assert.equal(channel.rejected, 1);
  second.destroy();
  worker.destroy();
  channel.close();
});
