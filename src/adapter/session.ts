/**
 * The Async Inspector debug adapter: a DAP session that runs a program through an Inspection
 * (src/inspection) and forwards what it says as custom events. vscode-free, so it runs inline in the
 * extension and over stdio (main.ts). The program never stops: no breakpoints, one thread named after the program.
 */
import { basename } from 'node:path';
import {
  DebugSession, ExitedEvent, InitializedEvent, LoggingDebugSession, OutputEvent, TerminatedEvent, Thread,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { InspectionEvent, OutputCategory } from '../inspection/events';
import { Inspection } from '../inspection/inspection';
import { attachInspection, AttachError, type AttachedInspection } from '../attach';
import { LaunchError } from '../inspection/launch';
import { exitCodeOf } from '../model/report';
import type { CustomEventBodies, CustomEventName } from './custom-events';
import { CUSTOM_EVENT, LAUNCH_EXTRA, SNAPSHOT_REQUEST } from './custom-events';
import { resolveLaunchArgs } from './launch-args';

export interface InspectorSessionOptions {
  /** Folder holding agent-node.js and python/ (defaults to the launcher's: next to the bundle). */
  distDir?: string;
}

/** Error ids in DAP error responses. */
const ERROR = { badLaunchArgs: 3001, cannotStart: 3002, alreadyRunning: 3003, notRunning: 3004, unsupported: 3005 } as const;
const THREAD_ID = 1;
/** Longest a disconnect waits for the program to be gone before answering anyway. */
const DISCONNECT_WAIT_MS = 5000;

export class InspectorSession extends LoggingDebugSession {
  private run: Inspection | undefined;
  /** Set for an attach: the run is then ended by detaching, never by stopping the program. */
  private attached: AttachedInspection | undefined;
  /** Events of an attach in progress, sent once it is answered. */
  private held: InspectionEvent[] | undefined;
  /** The program runs in a child session of the runtime's own debugger (LAUNCH_EXTRA.childDebugType). */
  private parentOnly = false;
  private threadName = 'program';

  constructor(private readonly options: InspectorSessionOptions = {}) {
    super();
  }

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      ...response.body,
      supportsConfigurationDoneRequest: true,
      supportsTerminateRequest: true,
      supportTerminateDebuggee: true,
      supportsRestartRequest: false,
    };
    this.sendResponse(response);
    this.sendEvent(new InitializedEvent());
  }

  protected override async launchRequest(response: DebugProtocol.LaunchResponse, args: DebugProtocol.LaunchRequestArguments): Promise<void> {
    if (this.run) return this.fail(response, ERROR.alreadyRunning, 'A program is already running in this session.');
    const resolved = resolveLaunchArgs(args, { cwd: process.cwd(), env: process.env });
    if (!resolved.ok) return this.fail(response, ERROR.badLaunchArgs, resolved.error);
    const { plan } = resolved;
    for (const note of plan.notes) this.output(`Async Inspector: ${note}\n`, 'console');
    const extra = args as Record<string, unknown>;
    if (typeof extra[LAUNCH_EXTRA.debuggerNote] === 'string') this.output(`${String(extra[LAUNCH_EXTRA.debuggerNote])}\n`, 'console');
    if (typeof extra[LAUNCH_EXTRA.childDebugType] === 'string') {
      // The extension runs the program under the runtime's debugger, as this session's child: nothing to launch.
      this.parentOnly = true;
      return this.sendResponse(response);
    }
    this.threadName = basename(plan.program);
    try {
      this.run = await Inspection.launch(
        { command: plan.command, cwd: plan.cwd, env: plan.env, runtime: plan.runtime, stdin: 'pipe' },
        {
          listener: (e) => this.forward(e), agentConfig: plan.agentConfig, distDir: this.options.distDir,
          maxFinishedTasks: plan.maxFinishedTasks,
        },
      );
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return this.fail(response, ERROR.cannotStart, err instanceof LaunchError ? message : `Could not start the program: ${message}`);
    }
    this.sendResponse(response);
  }

  /** `"request": "attach", "processId"`: the agent is loaded into the running process; disconnect detaches. */
  protected override async attachRequest(response: DebugProtocol.AttachResponse, args: DebugProtocol.AttachRequestArguments): Promise<void> {
    if (this.run) return this.fail(response, ERROR.alreadyRunning, 'A program is already running in this session.');
    const raw = (args as { processId?: unknown }).processId;
    const pid = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
    if (!Number.isInteger(pid) || pid <= 0) {
      return this.fail(response, ERROR.badLaunchArgs, `"processId" must be the id of a running Node.js or Python process, got ${JSON.stringify(raw ?? null)}.`);
    }
    const config = args as { blockThresholdMs?: unknown; maxFinishedTasks?: unknown };
    // The agent says hello before the attach is answered: its events wait for the response, so the client
    // knows the session before it hears from it (a launch's hello always comes after).
    this.held = [];
    try {
      this.attached = await attachInspection(pid, {
        listener: (e) => this.forward(e),
        distDir: this.options.distDir,
        agentConfig: typeof config.blockThresholdMs === 'number' ? { blockThresholdMs: config.blockThresholdMs } : {},
        maxFinishedTasks: typeof config.maxFinishedTasks === 'number' ? config.maxFinishedTasks : undefined,
      });
    } catch (err) {
      this.held = undefined;
      const message = err instanceof Error ? err.message : String(err);
      return this.fail(response, ERROR.cannotStart, err instanceof AttachError ? message : `Could not attach: ${message}`);
    }
    this.run = this.attached.inspection;
    this.threadName = `process ${pid}`;
    this.sendResponse(response);
    const held = this.held;
    this.held = undefined;
    this.output(`Async Inspector: attached to ${this.attached.runtime} process ${pid}; disconnecting detaches (the program keeps running).\n`, 'console');
    for (const e of held) this.forward(e);
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: this.parentOnly ? [] : [new Thread(THREAD_ID, this.threadName)] };
    this.sendResponse(response);
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.fail(response, ERROR.unsupported, 'Async Inspector watches the program without pausing it.');
  }

  /** A line typed in the Debug Console goes to the program's stdin (it never pauses: there is nothing to evaluate). */
  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    if (args.context !== 'repl') return this.fail(response, ERROR.unsupported, 'Async Inspector never pauses the program: there is nothing to evaluate.');
    const program = this.run?.running ? this.run.program : undefined;
    if (!program) return this.fail(response, ERROR.notRunning, 'A line typed here goes to the input of the program this session launched; none is running.');
    if (!program.input(`${args.expression}\n`)) return this.fail(response, ERROR.notRunning, 'The program has closed its input.');
    response.body = { result: '', variablesReference: 0 };
    this.sendResponse(response);
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    if (this.attached) void this.attached.detach(); // an attached program is never stopped by us
    else void this.run?.stop();
    this.sendResponse(response);
    // The program runs in the child session, which ends with this one (ChildSessions): no program of ours
    // will end to say 'terminated', so Stop would otherwise wait for it forever.
    if (this.parentOnly) this.sendEvent(new TerminatedEvent());
  }

  protected override async disconnectRequest(
    response: DebugProtocol.DisconnectResponse, args: DebugProtocol.DisconnectArguments | undefined,
  ): Promise<void> {
    if (this.attached) await this.attached.detach();
    else if (this.run?.running && args?.terminateDebuggee !== false) {
      await Promise.race([this.run.stop(), delay(DISCONNECT_WAIT_MS)]);
    }
    this.sendResponse(response);
    this.shutdown();
  }

  protected override customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    if (command !== SNAPSHOT_REQUEST) return super.customRequest(command, response, args);
    if (!this.run) return this.fail(response, ERROR.notRunning, 'No program has been launched in this session.');
    response.body = this.run.snapshot();
    this.sendResponse(response);
  }

  /** The adapter is going away (client closed, SIGTERM, inline dispose): the program must not outlive it. */
  override shutdown(): void {
    this.run?.killNow();
    super.shutdown();
  }

  override dispose(): void {
    this.run?.killNow();
    super.dispose();
  }

  /**
   * LoggingDebugSession serialises every event once more just to log it; deltas can be large, so skip
   * that when verbose logging is off (it is unless someone turns it on while debugging the adapter).
   */
  override sendEvent(event: DebugProtocol.Event): void {
    DebugSession.prototype.sendEvent.call(this, event);
  }

  /** What the inspection says, as DAP events. */
  private forward(e: InspectionEvent): void {
    if (this.held) {
      this.held.push(e);
      return;
    }
    switch (e.type) {
      case 'session':
        return this.customEvent(CUSTOM_EVENT.session, e.info);
      case 'delta':
        return this.customEvent(CUSTOM_EVENT.delta, e.delta);
      case 'output':
        return this.output(e.text, e.category);
      case 'warning':
        return this.output(`Async Inspector: ${e.text}\n`, 'console');
      case 'ended': {
        const { exitCode, signal, report } = e;
        this.customEvent(CUSTOM_EVENT.ended, { exitCode, signal, report });
        this.output(`${this.attached ? attachEndSentence(this.attached.pid, this.detaching()) : exitSentence(exitCode, signal)}\n`, 'console');
        if (!this.attached) this.sendEvent(new ExitedEvent(exitCodeOf({ code: exitCode, signal }) ?? 1));
        this.sendEvent(new TerminatedEvent());
        return;
      }
    }
  }

  /** Whether the attached process is still there (the end was our detach, not its exit). */
  private detaching(): boolean {
    try {
      process.kill(this.attached!.pid, 0);
      return true;
    } catch {
      return false;
    }
  }

  private customEvent<K extends CustomEventName>(name: K, body: CustomEventBodies[K]): void {
    this.sendEvent({ seq: 0, type: 'event', event: name, body });
  }

  private output(text: string, category: OutputCategory): void {
    this.sendEvent(new OutputEvent(text, category));
  }

  /** An error response whose message is shown as is (no {placeholder} formatting of user paths). */
  private fail(response: DebugProtocol.Response, id: number, message: string): void {
    response.success = false;
    response.message = message;
    // The client substitutes {_message} once, so braces in user paths are shown as they are.
    response.body = { error: { id, format: '{_message}', variables: { _message: message }, showUser: true } };
    this.sendResponse(response);
  }
}

function attachEndSentence(pid: number, alive: boolean): string {
  return alive ? `Detached from process ${pid}: it keeps running without the agent's hooks` : `Process ${pid} exited`;
}

export function exitSentence(code: number | null, signal: string | null): string {
  if (code !== null) return `Program exited with code ${code}`;
  return `Program exited with signal ${signal ?? 'unknown'}`;
}

function delay(ms: number): Promise<void> {
  return new Promise((ok) => setTimeout(ok, ms));
}
