/**
 * One inspection: the token-guarded channel, the model and its lints, the delta pump, the session info,
 * the end of the run and the report / Chrome trace. vscode-free. Fed one of two ways:
 *  - `Inspection.launch`: starts the program with the agent injected (the adapter's run-only mode, the CLI);
 *  - `Inspection.listen`: opens the channel and hands out `agent` (the environment a program needs so its
 *    agent connects here); someone else starts the program (a debugger's own launch) or injects the agent
 *    later (attach). It ends when told (`end()`), or when every agent connection has closed.
 * Everything it has to say goes to one listener, as InspectionEvents (see events.ts). What it holds of the
 * run (model, deltas, report) is its RunRecord (run-record.ts); this is the program's side: channel, launch, end.
 */
import { toChromeTrace, type ChromeTrace } from '../model/trace';
import type { PausedAt } from '../model/state';
import type { ModelDelta, Report, SessionInfo } from '../model/types';
import type { AgentConfig, AgentMessage } from '../protocol/events';
import { defaultDistDir, type AgentEnvironment } from './agent-env';
import { openAgentChannel, type ChannelServer } from './channel';
import type { InspectionEnd, InspectionListener, ProgramExit } from './events';
import { launch, type LaunchedProgram } from './launch';
import type { LaunchSpec } from './launch-types';
import { RunRecord } from './run-record';

export interface InspectionOptions {
  listener: InspectionListener;
  /** Finished tasks the model keeps (default 5000). */
  maxFinishedTasks?: number;
  /** Settings handed to the agent. */
  agentConfig?: AgentConfig;
  /** Folder holding agent-node.js and python/ (default: next to this bundle). */
  distDir?: string;
  /** Compute and send throttled deltas (default true; the CLI wants only the end). */
  deltas?: boolean;
}

export interface ListenOptions extends InspectionOptions {
  /** End once every agent connection has closed (default true; false while more programs may come, e.g. a terminal). */
  endWhenAgentsLeave?: boolean;
}

/** An inspection that launched its program. */
export type LaunchedInspection = Inspection & { readonly program: LaunchedProgram };

/** How long a listening inspection waits, once its last agent left, for another one before it ends. */
const AGENTS_LEFT_GRACE_MS = 300;
/** How long `end()` waits for agents still connected to send their last batch. */
const DRAIN_MS = 2000;
/** After SIGTERM, how long a launched program gets before SIGKILL. */
const STOP_GRACE_MS = 2000;

export class Inspection {
  private readonly record: RunRecord;
  /** Connections numbered below this belong to a run before a restart: what they still send is dropped. */
  private firstConn = 0;
  /** Restarted, and the new run's first agent has not said hello yet: agents leaving does not end it. */
  private awaitingRun = false;
  private launched: LaunchedProgram | undefined;
  private channel: ChannelServer | undefined;
  private endResolve!: (end: InspectionEnd) => void;
  /** Resolves once the inspection has ended (after the `ended` event). */
  readonly ended = new Promise<InspectionEnd>((ok) => (this.endResolve = ok));
  /** The environment a program needs to connect here (listening inspections only). */
  agent: AgentEnvironment | undefined;

  private constructor(private readonly options: InspectionOptions, command: string[]) {
    this.record = new RunRecord({
      listener: options.listener, maxFinishedTasks: options.maxFinishedTasks, deltas: options.deltas !== false, command,
      launched: () => this.launched,
    });
  }

  /** (a) Starts the program with the agent; rejects with a LaunchError (a message for the user) when it cannot start. */
  static async launch(spec: Omit<LaunchSpec, 'agentConfig' | 'distDir'>, options: InspectionOptions): Promise<LaunchedInspection> {
    const inspection = new Inspection(options, spec.command);
    const trouble = inspection.record.channelTrouble;
    try {
      inspection.launched = await launch(
        { ...spec, agentConfig: options.agentConfig, distDir: options.distDir },
        {
          message: (conn, msg) => inspection.onMessage(conn, msg),
          stdout: (text, bytes) => options.listener({ type: 'output', text, bytes, category: 'stdout' }),
          stderr: (text, bytes) => options.listener({ type: 'output', text, bytes, category: 'stderr' }),
          warning: (text) => inspection.record.warn(text),
          rejected: () => trouble.rejectedConnections++,
          malformed: () => trouble.malformedLines++,
          exit: (code, signal) => inspection.finish({ code, signal }),
        },
      );
    } catch (err) {
      inspection.record.stopDeltas();
      throw err;
    }
    return inspection as LaunchedInspection;
  }

  /** (b)/(c) Opens the channel; `agent` says what the program's environment needs to connect. */
  static async listen(options: ListenOptions): Promise<Inspection> {
    const inspection = new Inspection(options, []);
    const trouble = inspection.record.channelTrouble;
    const { channel, agent } = await openAgentChannel(
      {
        message: (conn, msg) => inspection.onMessage(conn, msg),
        warning: (text) => inspection.record.warn(text),
        rejected: () => trouble.rejectedConnections++,
        malformed: () => trouble.malformedLines++,
        idle: () => {
          if (options.endWhenAgentsLeave !== false) inspection.endIfStillIdle();
        },
      },
      options.agentConfig ?? {},
      options.distDir ?? defaultDistDir(),
    );
    inspection.channel = channel;
    inspection.agent = agent;
    return inspection;
  }

  /** The launched program (launch only). */
  get program(): LaunchedProgram | undefined {
    return this.launched;
  }

  /** The session as the first agent described it, once one said hello. */
  get info(): SessionInfo | undefined {
    return this.record.info;
  }

  /** The last debugger stop an agent announced (its `paused` event: the paused task), if any. */
  get paused(): PausedAt | undefined {
    return this.record.paused;
  }

  get running(): boolean {
    return !this.record.finished;
  }

  /** Sends the pending delta now, without waiting for the pump's interval (a debugger stop must show at once). */
  flushDeltas(): void {
    this.record.flushDeltas();
  }

  /** The whole model now (reset: true), e.g. for a view opened late. */
  snapshot(): ModelDelta {
    return this.record.snapshot();
  }

  /** The report: the final one once ended, else one of what is held now. */
  report(): Report {
    return this.record.report();
  }

  chromeTrace(): ChromeTrace {
    return toChromeTrace(this.report());
  }

  /**
   * (b)/(c) The program is done with (its debug session ended): waits briefly for agents still connected,
   * then ends. `exit` is the program's, when the caller knows it. A launched program ends by itself.
   */
  async end(exit?: ProgramExit): Promise<InspectionEnd> {
    if (this.channel && this.running) {
      await this.channel.whenIdle(DRAIN_MS);
      this.finish(exit ?? this.record.agentExit);
    }
    return this.ended;
  }

  /**
   * Asks a launched program to stop (SIGTERM to its process group, SIGKILL after a grace period, also to what is
   * left of the group once the program has exited); resolves once it is gone.
   */
  async stop(): Promise<void> {
    const program = this.launched;
    if (!program || !this.running) return;
    program.kill('SIGTERM');
    const graceEnds = Date.now() + STOP_GRACE_MS;
    const escalate = setTimeout(() => program.kill('SIGKILL'), STOP_GRACE_MS);
    await program.exited;
    clearTimeout(escalate);
    await program.finishGroup(graceEnds);
  }

  /**
   * (b) A debugger restarts the program with the same environment (js-debug's `restart`, VS Code's terminate
   * and relaunch): the run so far is dropped, and the next program's agents start a fresh one on the same
   * channel. Agents of the old program that are still connected are no longer heard. Until the new program's
   * first hello, the old one leaving does not end the inspection (`end()` still does). False when it already ended.
   */
  restart(): boolean {
    if (!this.channel || !this.running) return false;
    this.record.restart();
    this.firstConn = this.channel.nextConnection;
    this.awaitingRun = true;
    return true;
  }

  /** Synchronous last resort when the owner goes away: nothing launched may outlive it. */
  killNow(): void {
    if (this.launched && this.running) this.launched.kill('SIGKILL');
    else if (this.channel && this.running) this.finish(this.record.agentExit);
  }

  private onMessage(conn: number, msg: AgentMessage): void {
    if (conn < this.firstConn) return; // the program before a restart
    if (msg.type === 'hello') this.awaitingRun = false;
    this.record.apply(conn, msg);
  }

  private endIfStillIdle(): void {
    setTimeout(() => {
      if (this.channel?.connections === 0 && this.running && !this.awaitingRun) this.finish(this.record.agentExit);
    }, AGENTS_LEFT_GRACE_MS).unref();
  }

  /** The end of the run: the channel closes, the record writes its last delta and the report, then `ended`. */
  private finish(exit: ProgramExit): void {
    if (!this.running) return;
    this.channel?.close();
    const report = this.record.finish(exit);
    const end: InspectionEnd = { exitCode: exit.code, signal: exit.signal, report };
    this.options.listener({ type: 'ended', ...end });
    this.endResolve(end);
  }
}
