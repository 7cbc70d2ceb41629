/** What a launch (launch.ts) is given and what it reports: the program, its output, its channel messages. */
import type { AgentConfig, AgentMessage, Runtime } from '../protocol/events';
import type { EnvOverrides } from './agent-env';

export interface LaunchSpec {
  /** The command as the user would type it: ["node", "app.js", ...] or ["python3", "app.py"]. */
  command: string[];
  cwd?: string;
  /** Changes to this process's environment for the program (null removes a variable). */
  env?: EnvOverrides;
  /** Forced runtime; otherwise recognised from the command / program extension. */
  runtime?: Runtime;
  agentConfig?: AgentConfig;
  /** The program's stdin: 'inherit' for a terminal (CLI), 'pipe' to write it (LaunchedProgram.input: the debug session), 'ignore' (default). */
  stdin?: 'inherit' | 'ignore' | 'pipe';
  /**
   * Where the program's output goes as it came, with back-pressure (a slow reader slows the program, as it would
   * without the inspector; binary output unchanged), instead of `stdout` / `stderr` events (the CLI).
   */
  output?: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream };
  /** Absolute path of the built distribution folder holding agent-node.js and python/ (defaults to this bundle's folder). */
  distDir?: string;
}

export interface LaunchEvents {
  /** One decoded message from one connected process (`conn` numbers connections from 0). */
  message(conn: number, msg: AgentMessage): void;
  /** The program's own output: decoded as UTF-8 (a character split between chunks waits for its end), and the bytes as they came. */
  stdout(text: string, bytes: Buffer): void;
  stderr(text: string, bytes: Buffer): void;
  /** Channel or agent trouble worth telling the user (reported once each). */
  warning(text: string): void;
  /** A connection to the agent channel was refused (no hello with the token first, replayed, or a flood). */
  rejected?(reason: string): void;
  /** An agent's channel line could not be read and was skipped. */
  malformed?(reason: string): void;
  /** The program ended; all channel data has been delivered before this fires. */
  exit(code: number | null, signal: string | null): void;
}
