/**
 * What an Inspection holds of one run of the program: the model fed by the agents' messages, the delta pump,
 * the session announced once, the exit code the main agent said goodbye with, what the channel refused, and the
 * report at the end. A debugger's restart begins a new run on the same channel (`restart()`). Its own work is
 * guarded: a failure there is told once per step and never stops the run (the program's output and exit must
 * still get through).
 */
import { InspectorModel, type ReportInfo } from '../model/model';
import type { PausedAt } from '../model/state';
import type { ModelDelta, Report, SessionInfo } from '../model/types';
import type { AgentMessage } from '../protocol/events';
import { DeltaPump } from './delta-pump';
import type { InspectionListener, ProgramExit } from './events';
import type { LaunchedProgram } from './launch';

export interface RunRecordOptions {
  listener: InspectionListener;
  maxFinishedTasks?: number;
  /** Compute and send throttled deltas. */
  deltas: boolean;
  /** The command the inspection launched ([] when someone else starts the program: the agent's hello says it). */
  command: string[];
  /** The program the inspection launched, if it did (its runtime and clock are the run's). */
  launched(): LaunchedProgram | undefined;
}

export class RunRecord {
  private model: InspectorModel;
  private readonly pump: DeltaPump<ModelDelta> | undefined;
  private readonly failures = new Set<string>();
  private startedAt = performance.now();
  private sessionSent = false;
  /** The exit code the main process's agent said goodbye with, if it did. */
  private agentExitCode: number | undefined;
  /** Connections the channel refused and agent lines it could not read, for the report. */
  readonly channelTrouble = { rejectedConnections: 0, malformedLines: 0 };
  private finalReport: Report | undefined;

  constructor(private readonly options: RunRecordOptions) {
    this.model = new InspectorModel({ maxFinishedTasks: options.maxFinishedTasks });
    if (options.deltas) {
      this.pump = new DeltaPump<ModelDelta>(
        () => this.guard('computing a view update', () => this.model.takeDelta()) ?? null,
        (delta) => this.options.listener({ type: 'delta', delta }),
      );
    }
  }

  /** The session as the first agent described it, once one said hello. */
  get info(): SessionInfo | undefined {
    return this.model.info;
  }

  /** The last debugger stop an agent announced (its `paused` event: the paused task), if any. */
  get paused(): PausedAt | undefined {
    return this.model.paused;
  }

  get finished(): boolean {
    return this.finalReport !== undefined;
  }

  /** How the program ended as far as its agents said (the exit code of the main agent's bye, if any). */
  get agentExit(): ProgramExit {
    return { code: this.agentExitCode ?? null, signal: null };
  }

  /** Sends the pending delta now, without waiting for the pump's interval. */
  flushDeltas(): void {
    this.pump?.flush();
  }

  /** No more deltas (the program could not be launched). */
  stopDeltas(): void {
    this.pump?.stop();
  }

  snapshot(): ModelDelta {
    return this.model.snapshot();
  }

  /** The report: the final one once finished, else one of what is held now. */
  report(): Report {
    return this.finalReport ?? this.model.report(this.reportInfo());
  }

  /** An agent's message: into the model; the first hello announces the session. */
  apply(conn: number, msg: AgentMessage): void {
    this.guard('reading agent data', () => this.model.apply(conn, msg));
    if (msg.type === 'bye' && conn === 0 && typeof msg.exitCode === 'number') this.agentExitCode = msg.exitCode;
    if (msg.type === 'hello' && !this.sessionSent) {
      this.sessionSent = true;
      const info = this.model.info ?? { runtime: msg.runtime, command: this.options.command, pid: msg.pid, startEpochMs: msg.startEpochMs };
      this.options.listener({ type: 'session', info });
    }
    this.pump?.poke();
  }

  /** The program starts again (a debugger's restart): what the run so far recorded is dropped. */
  restart(): void {
    this.model = new InspectorModel({ maxFinishedTasks: this.options.maxFinishedTasks });
    this.sessionSent = false;
    this.agentExitCode = undefined;
    this.startedAt = performance.now();
    this.channelTrouble.rejectedConnections = 0;
    this.channelTrouble.malformedLines = 0;
  }

  /** The end of the run: the lints, the last delta, then the final report. */
  finish(exit: ProgramExit): Report {
    const info = this.info;
    const durationMs = this.options.launched() || !info ? performance.now() - this.startedAt : Date.now() - info.startEpochMs;
    this.guard('finishing the run', () => this.model.finish({ code: exit.code, signal: exit.signal, durationMs }));
    this.pump?.flush();
    this.pump?.stop();
    const report = this.guard('writing the report', () => this.model.report(this.reportInfo()))
      ?? this.emptyReport(exit, durationMs);
    this.finalReport = report;
    return report;
  }

  warn(text: string): void {
    this.options.listener({ type: 'warning', text });
  }

  private reportInfo(): ReportInfo {
    const command = this.options.command.length > 0 ? this.options.command : (this.info?.command ?? []);
    return { command, runtime: this.options.launched()?.runtime ?? this.info?.runtime, ...this.channelTrouble };
  }

  /** A report with what the inspection itself knows, for when the model could not write one. */
  private emptyReport(exit: ProgramExit, durationMs: number): Report {
    const empty = new InspectorModel();
    empty.finish({ ...exit, durationMs });
    return { ...empty.report(this.reportInfo()), agentErrors: [...this.failures] };
  }

  /** Runs one step of the inspection's own work; a failure there is told once per step. */
  private guard<T>(step: string, work: () => T): T | undefined {
    try {
      return work();
    } catch (err) {
      const text = `internal error while ${step}: ${err instanceof Error ? err.message : String(err)}`;
      if (!this.failures.has(text)) {
        this.failures.add(text);
        this.warn(text);
      }
      return undefined;
    }
  }
}
