/**
 * Loads the Node agent into a running Node.js process through its inspector: SIGUSR1 opens it (Node's own
 * debugger trigger; refused when the process does not catch SIGUSR1, i.e. --disable-sigusr1, since the signal
 * would kill it), then over the inspector's WebSocket: the promises pending now are taken from the heap
 * (Runtime.queryObjects on Promise.prototype), the agent bundle is required with the channel in the
 * environment (process.getBuiltinModule('module').createRequire works in CommonJS and ES module programs; the
 * console's `require` before Node 20.16), the environment is put back, and the promises are handed to the agent
 * (found at attach). An inspector that was closed before is closed again.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { DevtoolsSession, inspectorUrl } from './devtools';
import type { AgentEndpoint } from './python';
import { AttachError, type AttachTarget } from './target';

const OPEN_TIMEOUT_MS = 5000;
const SIGUSR1_BIT = 1n << 9n; // signal 10

export async function injectNode(target: AttachTarget, ep: AgentEndpoint): Promise<void> {
  const { pid } = target;
  let url = await findInspector(pid);
  const wasOpen = url !== undefined;
  if (!url) {
    if (!catchesSigusr1(pid)) {
      throw new AttachError(
        `process ${pid} does not open its inspector on SIGUSR1 (started with --disable-sigusr1?): restart it without ` +
          'that flag, or with --inspect, to attach',
      );
    }
    process.kill(pid, 'SIGUSR1');
    const deadline = Date.now() + OPEN_TIMEOUT_MS;
    while (!url && Date.now() < deadline) {
      await delay(100);
      url = await findInspector(pid);
    }
    if (!url) {
      const holder = listeners(9229).find((p) => p !== pid);
      throw new AttachError(
        holder !== undefined
          ? `process ${pid} could not open its inspector: port 9229 is taken by process ${holder}; stop that, or start the program with --inspect-port=0`
          : `process ${pid} did not open its inspector within ${OPEN_TIMEOUT_MS / 1000} s after SIGUSR1 (is it a Node.js program busy in a synchronous loop?)`,
      );
    }
  }
  const session = await DevtoolsSession.open(url).catch((err: Error) => {
    throw new AttachError(`cannot use the inspector of process ${pid}: ${err.message}`);
  });
  try {
    await load(session, ep);
  } finally {
    if (!wasOpen) {
      // Closing it disconnects this session: the answer may never come.
      await session
        .send('Runtime.evaluate', { expression: "process.getBuiltinModule ? process.getBuiltinModule('inspector').close() : require('inspector').close()", includeCommandLineAPI: true }, 2000)
        .catch(() => undefined);
    }
    session.close();
  }
}

async function load(session: DevtoolsSession, ep: AgentEndpoint): Promise<void> {
  const group = 'async-inspector-attach';
  const proto = await session.send('Runtime.evaluate', { expression: 'Promise.prototype', objectGroup: group });
  const protoId = (proto.result as { objectId?: string }).objectId;
  const found = protoId ? await session.send('Runtime.queryObjects', { prototypeObjectId: protoId, objectGroup: group }) : undefined;
  const listId = (found?.objects as { objectId?: string } | undefined)?.objectId;
  const agentPath = join(ep.distDir, 'agent-node.js');
  const requireExpr = await session.send('Runtime.evaluate', {
    expression:
      `(typeof process.getBuiltinModule === 'function' ? process.getBuiltinModule('module').createRequire(${JSON.stringify(agentPath)}) ` +
      ': (process.mainModule ? process.mainModule.require.bind(process.mainModule) : require))',
    includeCommandLineAPI: true,
    objectGroup: group,
  });
  const requireId = (requireExpr.result as { objectId?: string }).objectId;
  if (!requireId) throw new AttachError('the program has no module loader the inspector can reach');
  const start = await session.send('Runtime.callFunctionOn', {
    objectId: requireId,
    functionDeclaration: START_AGENT,
    arguments: [{ value: agentPath }, { value: ep.address }, { value: ep.token }, { value: ep.config }, listId ? { objectId: listId } : { value: [] }],
    returnByValue: true,
    awaitPromise: false,
  });
  await session.send('Runtime.releaseObjectGroup', { objectGroup: group }).catch(() => undefined);
  const value = (start.result as { value?: unknown }).value;
  if (typeof value !== 'string' || !value.startsWith('ok')) {
    const text = typeof value === 'string' ? value : JSON.stringify(start.exceptionDetails ?? start.result);
    throw new AttachError(`the agent could not start: ${text.replace(/^error: /, '')}`);
  }
}

/** Runs in the program with `this` = a require function. Never throws into it: failures come back as text. */
const START_AGENT = `function (agentPath, channel, token, config, pending) {
  const env = process.env;
  const names = ['ASYNC_INSPECTOR_CHANNEL', 'ASYNC_INSPECTOR_TOKEN', 'ASYNC_INSPECTOR_CONFIG', 'ASYNC_INSPECTOR_ATTACH'];
  const saved = names.map((n) => env[n]);
  try {
    if (env.ASYNC_INSPECTOR_CHANNEL || globalThis[Symbol.for('async-inspector.attached')]) return 'error: it is already traced by Async Inspector (launched with it, or attached by another inspector)';
    env.ASYNC_INSPECTOR_CHANNEL = channel;
    env.ASYNC_INSPECTOR_TOKEN = token;
    env.ASYNC_INSPECTOR_CONFIG = config;
    env.ASYNC_INSPECTOR_ATTACH = '1';
    const resolved = this.resolve(agentPath);
    if (this.cache) delete this.cache[resolved];
    const agent = this(resolved);
    const n = agent.adoptPending(pending);
    return 'ok ' + n;
  } catch (e) {
    return 'error: ' + (e && e.message || String(e));
  } finally {
    names.forEach((n, i) => { if (saved[i] === undefined) delete env[n]; else env[n] = saved[i]; });
  }
}`;

function catchesSigusr1(pid: number): boolean {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /^SigCgt:\s*([0-9a-f]+)/m.exec(status);
    return m !== null && (BigInt(`0x${m[1]}`) & SIGUSR1_BIT) !== 0n;
  } catch {
    return false;
  }
}

/** The inspector WebSocket URL of one of the process's listening TCP ports, if any. */
async function findInspector(pid: number): Promise<string | undefined> {
  for (const port of portsOf(pid)) {
    const url = await inspectorUrl(port, 1000);
    if (url) return url;
  }
  return undefined;
}

/** Listening TCP ports whose sockets the process holds (/proc/net/tcp{,6} matched with its fds). */
function portsOf(pid: number): number[] {
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m) inodes.add(m[1]);
      } catch {
        // closed meanwhile
      }
    }
  } catch {
    return [];
  }
  return listening().filter((l) => inodes.has(l.inode)).map((l) => l.port);
}

function listening(): Array<{ port: number; inode: string }> {
  const out: Array<{ port: number; inode: string }> = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || cols[3] !== '0A') continue; // LISTEN
      out.push({ port: parseInt(cols[1].split(':')[1], 16), inode: cols[9] });
    }
  }
  return out;
}

/** Processes listening on `port`. */
function listeners(port: number): number[] {
  const inodes = new Set(listening().filter((l) => l.port === port).map((l) => l.inode));
  if (inodes.size === 0) return [];
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      for (const fd of readdirSync(`/proc/${entry}/fd`)) {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${entry}/fd/${fd}`));
        if (m && inodes.has(m[1])) {
          pids.push(Number(entry));
          break;
        }
      }
    } catch {
      // gone, or not ours to read
    }
  }
  return pids.length > 0 ? pids : [-1];
}

function delay(ms: number): Promise<void> {
  return new Promise((ok) => setTimeout(ok, ms));
}
