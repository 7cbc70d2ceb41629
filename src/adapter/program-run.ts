/**
 * One traced run of a program: starts it through the launcher, feeds every agent message into the
 * model, and tells the session (through RunSink) what to forward: session info, throttled deltas,
 * output, and the end of the run. Knows nothing about DAP.
 */
import { constants as osConstants } from 'node:os';
import { launch, type LaunchedProgram } from '../inspection/launch';
import { InspectorModel } from '../model/model';
import type { AgentMessage } from '../protocol/events';
import type { ModelDelta, Report, SessionInfo } from '../model/types';
import type { CustomEventBodies, CustomEventName } from './custom-events';
import { packDelta } from '../model/delta-sites';
import { CUSTOM_EVENT } from './custom-events';
import { DeltaPump } from '../inspection/delta-pump';
import type { LaunchPlan } from './launch-args';

export type OutputCategory = 'stdout' | 'stderr' | 'console';

export interface RunSink {
  customEvent<K extends CustomEventName>(name: K, body: CustomEventBodies[K]): void;
  output(text: string, category: OutputCategory): void;
  /** The program is gone and everything about it was sent; `exitCode` for DAP's ExitedEvent. */
  ended(exitCode: number): void;
}

/** After SIGTERM, how long a program gets before SIGKILL. */
const STOP_GRACE_MS = 2000;

export class ProgramRun {
  private program: LaunchedProgram | undefined;
  private sessionSent = false;
  private finished = false;
  private readonly failures: string[] = [];
  private readonly startedAt = Date.now();

  private readonly model: InspectorModel;
  private readonly pump: DeltaPump<ModelDelta>;

  private constructor(private readonly plan: LaunchPlan, private readonly sink: RunSink) {
    this.model = new InspectorModel({ maxFinishedTasks: plan.maxFinishedTasks });
    this.pump = new DeltaPump<ModelDelta>(
      () => this.guard('computing a view update', () => this.model.takeDelta()) ?? null,
      (delta) => sink.customEvent(CUSTOM_EVENT.delta, packDelta(delta)),
    );
  }

  /** Starts the program; rejects with the launcher's LaunchError when it cannot start. */
  static async start(plan: LaunchPlan, sink: RunSink, distDir?: string): Promise<ProgramRun> {
    const run = new ProgramRun(plan, sink);
    try {
      run.program = await launch(
        { command: plan.command, cwd: plan.cwd, env: plan.env, runtime: plan.runtime, agentConfig: plan.agentConfig, distDir },
        {
          message: (conn, msg) => run.onMessage(conn, msg),
          stdout: (text) => sink.output(text, 'stdout'),
          stderr: (text) => sink.output(text, 'stderr'),
          warning: (text) => sink.output(`Async Inspector: ${text}\n`, 'console'),
          exit: (code, signal) => run.onExit(code, signal),
        },
      );
    } catch (err) {
      run.pump.stop();
      throw err;
    }
    return run;
  }

  get pid(): number | undefined {
    return this.program?.pid;
  }

  get running(): boolean {
    return !this.finished;
  }

  snapshot(): ModelDelta {
    return this.model.snapshot();
  }

  /** Asks the program to stop (SIGTERM to its process group, SIGKILL after a grace period); resolves once it is gone. */
  async stop(): Promise<void> {
    const program = this.program;
    if (!program || this.finished) return;
    program.kill('SIGTERM');
    const escalate = setTimeout(() => program.kill('SIGKILL'), STOP_GRACE_MS);
    await program.exited;
    clearTimeout(escalate);
  }

  /** Synchronous last resort when the adapter itself goes away: nothing may outlive it. */
  killNow(): void {
    if (this.program && !this.finished) this.program.kill('SIGKILL');
  }

  private onMessage(conn: number, msg: AgentMessage): void {
    this.guard('reading agent data', () => this.model.apply(conn, msg));
    if (msg.type === 'hello' && !this.sessionSent) {
      this.sessionSent = true;
      this.sink.customEvent(CUSTOM_EVENT.session, this.model.info ?? this.infoFromHello(msg));
    }
    this.pump.poke();
  }

  /**
   * Runs one step of the inspector's own work; a failure there is told to the user once per step
   * and never stops the session (the program's output and exit must still get through).
   */
  private guard<T>(step: string, work: () => T): T | undefined {
    try {
      return work();
    } catch (err) {
      const text = `Async Inspector: internal error while ${step}: ${err instanceof Error ? err.message : String(err)}`;
      if (!this.failures.includes(text)) {
        this.failures.push(text);
        this.sink.output(`${text}\n`, 'console');
      }
      return undefined;
    }
  }

  private infoFromHello(hello: Extract<AgentMessage, { type: 'hello' }>): SessionInfo {
    return { runtime: hello.runtime, command: this.plan.command, pid: hello.pid, startEpochMs: hello.startEpochMs };
  }

  private onExit(code: number | null, signal: string | null): void {
    this.finished = true;
    const durationMs = Date.now() - this.startedAt;
    this.guard('finishing the run', () => this.model.finish({ code, signal, durationMs }));
    this.pump.flush();
    this.pump.stop();
    const report = this.guard('writing the report', () => this.model.report({ command: this.plan.command }))
      ?? emptyReport(this.plan, code, durationMs, this.failures);
    this.sink.customEvent(CUSTOM_EVENT.ended, { exitCode: code, signal, report });
    this.sink.output(`${exitSentence(code, signal)}\n`, 'console');
    this.sink.ended(code ?? exitCodeForSignal(signal));
  }
}

/** A report with what the adapter itself knows, for when the model could not write one. */
function emptyReport(plan: LaunchPlan, exitCode: number | null, durationMs: number, errors: string[]): Report {
  const counts = { queued: 0, pending: 0, running: 0, done: 0, failed: 0, cancelled: 0 };
  return {
    schema: 1, runtime: plan.runtime, command: plan.command, exitCode, durationMs, droppedEvents: 0, retiredTasks: 0,
    counts, loops: [], tasks: [], flags: [], agentErrors: errors,
  };
}

export function exitSentence(code: number | null, signal: string | null): string {
  if (code !== null) return `Program exited with code ${code}`;
  return `Program exited with signal ${signal ?? 'unknown'}`;
}

/** The shell convention (128 + signal number) so a killed program never reports success. */
function exitCodeForSignal(signal: string | null): number {
  const n = signal ? (osConstants.signals as Record<string, number | undefined>)[signal] : undefined;
  return n ? 128 + n : 1;
}
