/**
 * Wires the agent: channel, hello, promise tracking, resource tracking, the flush timer and the exit path.
 * Everything here runs shielded: an agent failure is reported once on the channel, never thrown.
 */
import { join } from 'node:path';
import { PROTOCOL_VERSION, type AgentEvent, type AgentMessage } from '../../protocol/events';
import { Channel, type AgentChannel } from './channel';
import { HubChannel } from './hub-channel';
import { clock } from './clock';
import type { AgentSettings } from './config';
import { configureBudget, markAgentFile, refillBudget } from './frames';
import { fault, FAULTS } from './faults';
import { agentError, guard, shielded, takeEarlyErrors } from './guard';
import { startPromiseTracking } from './promises';
import { startStallDetection } from './flags/blocking-calls';
import { checkCallbacks } from './flags/async-callbacks';
import { checkSuspects } from './flags/never-awaited';
import { watchUnhandledRejections } from './flags/unhandled-rejection';
import { Publisher } from './publisher';
import { setAttachPublisher } from './attach';
import { installPauseFlush } from './pause';
import { owner } from './context';
import { installResources } from './resources/install';
import { installLoaded, patchBuiltinsWhenLoaded } from './resources/lazy-builtins';
import { currentThread, handOverToWorkers, HUB_NAME, type ThreadInfo } from './thread';
import { CHILD_MARK, keepOutOfChildren } from './children';
import { flushBeforeExecve, forwardSignals } from './exit-paths';

const AGENT_VERSION = '0.1.0';
/** The id of the loop this agent traces (each thread is its own connection, with its own ids). */
export const LOOP_ID = 1;

export function startAgent(settings: AgentSettings): void {
  guard.busy = true;
  try {
    if (FAULTS) fault('agent start');
    const writerFile = join(__dirname, 'agent-node-writer.js');
    markAgentFile(__filename);
    markAgentFile(writerFile);
    const thread = currentThread();
    // Only the program's own loops are judged for stalls (its main thread's and its traced workers', whose
    // heartbeats the main thread's writer watches, when it watches its own): the launched process, and the
    // children it forked to share its work — cluster workers and child_process.fork children, which have an IPC
    // channel to it (process.send); other child processes (a spawned tool) are other programs' work. A worker
    // inherits CHILD_MARK from its creator's environment: it beats, and is sampled only if watched.
    const ownWork = process.env[CHILD_MARK] === undefined || typeof process.send === 'function';
    const watchStallsHere = thread.threadId === undefined ? ownWork : thread.hub !== undefined;
    // Children inherit the agent, marked as children; or not at all (traceChildren false).
    if (settings.traceChildren) process.env[CHILD_MARK] = '1';
    else keepOutOfChildren(process.env, __filename);
    // Without the environment, the workers this thread creates get the settings from it.
    const handedSettings = settings.traceChildren ? undefined : settings;
    // A traced worker sends through the main thread's writer (no thread of its own to start); the main
    // thread, or a worker whose creator is not traced, has its own writer thread.
    let channel: AgentChannel;
    let mainChannel: Channel | undefined;
    if (thread.hub && thread.threadId !== undefined) {
      channel = new HubChannel(thread.hub, thread.threadId);
      handOverToWorkers(thread.hub, handedSettings);
    } else {
      channel = mainChannel = new Channel(settings.channel, writerFile, {
        stallSampleMs: watchStallsHere ? settings.blockThresholdMs * 0.75 : 0,
        hub: HUB_NAME,
      });
      handOverToWorkers({ name: HUB_NAME, writerState: channel.shared.buffer as SharedArrayBuffer }, handedSettings);
    }
    channel.send(hello(settings.token, thread, settings.attached));
    guard.report = (message, detail) => channel.send({ type: 'agent-error', message, ...(detail ? { detail } : {}) });
    for (const e of takeEarlyErrors()) guard.report(e.message, e.detail);

    configureBudget(settings.stackCapturesPerSec);
    // Main-thread records keep no loop field (one loop per process); a worker's name theirs.
    const publisher = new Publisher(thread.threadId === undefined ? undefined : LOOP_ID);
    if (settings.attached) setAttachPublisher(publisher);
    let seq = 0;
    let pending: AgentEvent[] = [{ e: 'loop', id: LOOP_ID, name: thread.loopName, thread: thread.threadName, t: clock.now() }];
    const batch = (final: boolean): AgentMessage | undefined => {
      refillBudget(clock.now());
      promises.calm();
      checkSuspects(publisher, final);
      checkCallbacks(publisher, final);
      return take(publisher.flush(undefined, final));
    };
    const take = (published: AgentEvent[]): AgentMessage | undefined => {
      const events = pending.length ? pending.concat(published) : published;
      pending = [];
      const dropped = channel.takeDropped();
      if (events.length === 0 && dropped === 0) return undefined;
      return { type: 'batch', seq: ++seq, dropped, events };
    };

    const promises = startPromiseTracking(publisher);
    // Made before the timer functions are patched, like the flush timer below.
    const stalls = watchStallsHere ? startStallDetection(publisher, channel.shared, settings.blockThresholdMs, thread.threadId === undefined ? undefined : `The event loop of ${thread.loopName}`) : undefined;
    const stopHooks = (): void => {
      promises.stop();
      stalls?.stop();
    };
    watchUnhandledRejections(publisher);
    const drain = watchDrain();
    // The flush timer is made before the timer functions are patched, so the agent never traces itself.
    let detached = false;
    const timer = setInterval(() => {
      shielded('flush', () => {
        if (!channel.usable) {
          stopHooks();
          if (settings.attached) {
            setAttachPublisher(undefined);
            detached = true;
          }
          clearInterval(timer);
          return;
        }
        channel.start();
        installLoaded();
        const msg = batch(false);
        if (msg && msg.type === 'batch') channel.send(msg, msg.events.length);
      });
      // The inspector detached: every patched entry point now passes straight through (hooks return at once
      // while busy), so nothing is recorded or kept any more. Set after shielded(), which restores the flag.
      if (detached) guard.busy = true;
    }, settings.flushMs);
    timer.unref();
    setTimeout(() => shielded('writer start', () => channel.start()), 0).unref();
    // A thread with a writer of its own writes on its socket itself (that writer may not get on while this
    // thread is stopped); a traced worker posts on the hub, to the main thread's writer, which runs meanwhile.
    installPauseFlush(() => {
      stalls?.paused(); // the time stopped here is the debugger's, not a blocking call
      if (!channel.usable) return 'unusable';
      // Not batch(): leaving storm mode there would forget the paused task (ctx) the program resumes in.
      const msg = take(publisher.flush({ task: owner() }));
      if (!msg) return 'written';
      if (mainChannel?.writeNow(msg)) return 'written';
      channel.send(msg);
      return 'sent';
    });
    patchBuiltinsWhenLoaded(thread.commonJsWorker);
    installResources(publisher);

    const finish = (exitCode: number | undefined): void => {
      const last: AgentMessage[] = [];
      shielded('exit', () => {
        stalls?.final();
        stopHooks();
        const msg = batch(true);
        if (msg) last.push(msg);
      });
      // Whatever failed above (reported already), the bye goes and the exit waits for it: a report sent
      // without it would be lost with the process.
      shielded('bye', () => {
        const drained = exitCode !== undefined && drain.drained();
        last.push({ type: 'bye', t: clock.now(), ...(exitCode === undefined ? {} : { exitCode }), drained });
      });
      // No fault point here: the one way left to deliver the reports. Busy: a writer thread it may start now is the
      // agent's own, never a traced Worker.
      const busy = guard.busy;
      guard.busy = true;
      try {
        channel.close(last);
      } catch (err) {
        agentError('channel close', err);
      } finally {
        guard.busy = busy;
      }
    };
    // A worker ended by terminate() (or by its process's exit) runs no 'exit' handler: it just stops.
    process.on('exit', (code) => finish(typeof code === 'number' ? code : undefined));
    if (thread.threadId === undefined) {
      forwardSignals(finish); // workers get no signals
      flushBeforeExecve(() => finish(undefined));
    }
  } finally {
    guard.busy = false;
  }
}

/**
 * Whether the program ends because its event loop ran out of work: 'beforeExit' fired and the program did
 * not call process.exit() after it (a crash or process.exit() never emits 'beforeExit').
 */
function watchDrain(): { drained(): boolean } {
  let drained = false;
  process.on('beforeExit', () => {
    drained = true;
  });
  const exit = process.exit;
  process.exit = function (this: NodeJS.Process, ...args: Parameters<typeof process.exit>): never {
    drained = false;
    return exit.apply(this, args);
  } as typeof process.exit;
  return { drained: () => drained };
}

function hello(token: string, thread: ThreadInfo, attached: boolean): AgentMessage {
  return {
    type: 'hello', protocol: PROTOCOL_VERSION, token, runtime: 'node', pid: process.pid, ppid: process.ppid,
    argv: process.argv.slice(), cwd: process.cwd(), agentVersion: AGENT_VERSION, runtimeVersion: process.versions.node,
    startEpochMs: clock.startEpochMs, ...(thread.threadId === undefined ? {} : { threadId: thread.threadId }),
    ...(attached ? { attached } : {}),
  };
}
