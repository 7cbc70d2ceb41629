/**
 * Wires the agent: channel, hello, promise tracking, resource tracking, the flush timer and the exit path.
 * Everything here runs shielded: an agent failure is reported once on the channel, never thrown.
 */
import { join } from 'node:path';
import { PROTOCOL_VERSION, type AgentEvent, type AgentMessage } from '../../protocol/events';
import { Channel } from './channel';
import { clock } from './clock';
import type { AgentSettings } from './config';
import { configureBudget, markAgentFile, refillBudget } from './frames';
import { agentError, guard, shielded, takeEarlyErrors } from './guard';
import { startPromiseTracking } from './promises';
import { Publisher } from './publisher';
import { installResources } from './resources/install';

const AGENT_VERSION = '0.1.0';
export const MAIN_LOOP = 1;

export function startAgent(settings: AgentSettings): void {
  guard.busy = true;
  try {
    const writerFile = join(__dirname, 'agent-node-watchdog.js');
    markAgentFile(__filename);
    markAgentFile(writerFile);
    const channel = new Channel(settings.channel, writerFile, agentError);
    channel.send(hello(settings.token));
    guard.report = (message, detail) => channel.send({ type: 'agent-error', message, ...(detail ? { detail } : {}) });
    for (const e of takeEarlyErrors()) guard.report(e.message, e.detail);

    configureBudget(settings.stackCapturesPerSec);
    const publisher = new Publisher();
    let seq = 0;
    let pending: AgentEvent[] = [{ e: 'loop', id: MAIN_LOOP, name: 'main', thread: 'main', t: clock.now() }];
    const batch = (): AgentMessage | undefined => {
      refillBudget(clock.now());
      promises.calm();
      const events = pending.length ? pending.concat(publisher.flush()) : publisher.flush();
      pending = [];
      const dropped = channel.takeDropped();
      if (events.length === 0 && dropped === 0) return undefined;
      return { type: 'batch', seq: ++seq, dropped, events };
    };

    const promises = startPromiseTracking(publisher);
    const stopHooks = (): void => promises.stop();
    // The flush timer is made before the timer functions are patched, so the agent never traces itself.
    const timer = setInterval(() => {
      shielded('flush', () => {
        if (!channel.usable) {
          stopHooks();
          clearInterval(timer);
          return;
        }
        channel.start();
        const msg = batch();
        if (msg && msg.type === 'batch') channel.send(msg, msg.events.length);
      });
    }, settings.flushMs);
    timer.unref();
    setTimeout(() => shielded('writer start', () => channel.start()), 0).unref();
    installResources(publisher);

    const finish = (exitCode: number | undefined): void => {
      shielded('exit', () => {
        stopHooks();
        const last: AgentMessage[] = [];
        const msg = batch();
        if (msg) last.push(msg);
        last.push({ type: 'bye', t: clock.now(), ...(exitCode === undefined ? {} : { exitCode }) });
        channel.close(last);
      });
    };
    process.on('exit', (code) => finish(typeof code === 'number' ? code : undefined));
    forwardSignals(() => finish(undefined));
  } finally {
    guard.busy = false;
  }
}

function hello(token: string): AgentMessage {
  return {
    type: 'hello', protocol: PROTOCOL_VERSION, token, runtime: 'node', pid: process.pid, ppid: process.ppid,
    argv: process.argv.slice(), cwd: process.cwd(), agentVersion: AGENT_VERSION, runtimeVersion: process.versions.node,
    startEpochMs: clock.startEpochMs,
  };
}

/**
 * SIGTERM/SIGINT/SIGHUP end a program without 'exit': deliver the last batch, then die by the same signal
 * as the program would have. If the program has its own listener, it decides what happens; we only flush.
 */
function forwardSignals(finish: () => void): void {
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      if (process.listenerCount(signal) > 1) return;
      finish();
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}
