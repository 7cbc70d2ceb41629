/**
 * Attaches to a program that is already running: opens the token-guarded channel, loads the runtime's agent
 * into the process (python.ts, node.ts), and delivers what it says, like a launch does. Detaching closes the
 * channel; the agent then removes its hooks and the program goes on. Shared by the CLI and the debug adapter.
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AgentConfig, AgentMessage, Runtime } from '../protocol/events';
import { ChannelServer } from '../inspection/channel';
import { defaultDistDir } from '../inspection/launch';
import { injectNode } from './node';
import { injectPython } from './python';
import { AttachError, alive, describeTarget } from './target';

export { AttachError };

export interface AttachSpec {
  pid: number;
  agentConfig?: AgentConfig;
  distDir?: string;
}

export interface AttachEvents {
  message(conn: number, msg: AgentMessage): void;
  warning(text: string): void;
}

export interface AttachedProgram {
  pid: number;
  runtime: Runtime;
  command: string[];
  /** Closes the channel: the agent removes its hooks; the program keeps running. */
  detach(): Promise<void>;
  /** Resolves when the process has exited (while attached). */
  exited: Promise<void>;
}

const HELLO_TIMEOUT_MS = 10_000;
const EXIT_POLL_MS = 250;

export async function attach(spec: AttachSpec, events: AttachEvents): Promise<AttachedProgram> {
  const target = describeTarget(spec.pid);
  let greeted: () => void = () => {};
  const hello = new Promise<void>((ok) => (greeted = ok));
  const { channel, address } = await ChannelServer.open({
    message: (conn, msg) => {
      if (msg.type === 'hello') greeted();
      events.message(conn, msg);
    },
    warning: events.warning,
  });
  const endpoint = {
    address,
    token: channel.token,
    config: JSON.stringify(spec.agentConfig ?? {}),
    dir: dirname(address.replace(/^unix:/, '')),
    distDir: spec.distDir ?? defaultDistDir(),
  };
  try {
    if (target.runtime === 'python') await injectPython(target, endpoint);
    else await injectNode(target, endpoint);
    const timedOut = await Promise.race([hello.then(() => false), delay(HELLO_TIMEOUT_MS).then(() => true)]);
    if (timedOut) throw new AttachError(`the agent in process ${spec.pid} did not connect within ${HELLO_TIMEOUT_MS / 1000} s`);
  } catch (err) {
    channel.close();
    throw err;
  }

  let stopPolling = () => {};
  const exited = new Promise<void>((done) => {
    const timer = setInterval(() => {
      if (alive(spec.pid) && !isZombie(spec.pid)) return;
      clearInterval(timer);
      // Let the agent's last batch and goodbye arrive before the channel goes.
      void channel.whenIdle(2000).then(() => done());
    }, EXIT_POLL_MS);
    stopPolling = () => clearInterval(timer);
  });
  let detached = false;
  const detach = async (): Promise<void> => {
    if (detached) return;
    detached = true;
    stopPolling();
    channel.close();
  };
  return { pid: spec.pid, runtime: target.runtime, command: target.command, detach, exited };
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((ok) => setTimeout(ok, ms).unref());
}
