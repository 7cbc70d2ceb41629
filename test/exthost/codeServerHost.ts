/**
 * Runs an extensionTestsPath module inside code-server (see docs/real-vscode.md): code-server
 * started with its smoke-test driver, a Chromium page that exposes `codeAutomationExit` /
 * `codeAutomationLog` before it opens the workbench with a payload naming the extension under
 * development and the tests (as vscode-remote:// URIs of this server). The tests then run in the
 * server-side extension host; their exit code arrives through codeAutomationExit, their console output
 * through codeAutomationLog. One code-server and one browser for the whole run, both stopped at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';
import { CodeServer } from '../e2e/harness/codeServer';
import type { Tools } from '../e2e/harness/tools';
import { Workbench } from '../e2e/harness/workbench';
import { readResults, RESULTS_ENV, type ResultLine } from './results';

const OFFLINE_NOISE = /getaddrinfo ENOTFOUND open-vsx\.org/;

export interface HostRunOptions {
  tools: Tools;
  /** The extension's folder (its package.json and dist/). */
  extensionPath: string;
  /** The module whose run() VS Code calls. */
  testsPath: string;
  /** The folder the window opens. */
  workspace: string;
  /** The whole run is cut at this deadline (start-up included). */
  timeoutMs: number;
  /** Each console line of the extension host, as it arrives. */
  onLog: (line: string) => void;
  /** VSIX files installed before code-server starts (extensions the suite needs beside ours). */
  extensions?: string[];
  /** Added to code-server's environment, which its extension host inherits. */
  env?: Record<string, string>;
  /** Called with the page before it is closed when the run failed (a screenshot, say). */
  onFailure?: (wb: Workbench) => Promise<void>;
}

export interface HostRun {
  /** The extension host's exit code; undefined when the run was cut at the deadline. */
  exitCode: number | undefined;
  results: ResultLine[];
  secs: number;
  /** The tail of code-server's log, for a run that went wrong. */
  serverLog: string;
}

export async function runInCodeServer(o: HostRunOptions): Promise<HostRun> {
  const started = Date.now();
  const scratch = mkdtempSync(join(tmpdir(), 'async-inspector-exthost-run-'));
  const resultsFile = join(scratch, 'results.jsonl');
  let server: CodeServer | undefined;
  let wb: Workbench | undefined;
  let exitCode: number | undefined;
  try {
    server = await CodeServer.prepare(o.tools);
    for (const vsix of o.extensions ?? []) await server.installExtension(vsix);
    await server.start({ args: ['--vscode-option', 'enable-smoke-test-driver'], env: { ...o.env, [RESULTS_ENV]: resultsFile } });
    wb = await Workbench.launch(o.tools.chromium);
    const exited = new Promise<number>((resolve) => {
      void wb!.page.exposeFunction('codeAutomationExit', (code: number) => resolve(Number(code)));
    });
    await wb.page.exposeFunction('codeAutomationLog', (type: string, args: unknown) => {
      const line = logLine(type, args);
      // This machine is offline: the workbench's extension-gallery lookups fail, which is no news.
      if (!OFFLINE_NOISE.test(line)) o.onLog(line);
    });
    await wb.page.goto(workbenchUrl(server, o));
    exitCode = await withDeadline(exited, o.timeoutMs - (Date.now() - started));
    return { exitCode, results: readResults(resultsFile), secs: (Date.now() - started) / 1000, serverLog: server.logTail() };
  } finally {
    if (exitCode !== 0 && wb && o.onFailure) await o.onFailure(wb).catch(() => undefined);
    await wb?.close().catch(() => undefined);
    await server?.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

function workbenchUrl(server: CodeServer, o: HostRunOptions): string {
  // The payload's URIs must name this very server (host:port as the page sees it).
  const remote = (path: string) => `vscode-remote://127.0.0.1:${server.port}${path}`;
  const payload = [['extensionDevelopmentPath', remote(o.extensionPath)], ['extensionTestsPath', remote(o.testsPath)]];
  return `${server.url}/?folder=${encodeURIComponent(o.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** The console call as the extension host made it: printf-style arguments (Mocha's `%d passing`). */
function logLine(type: string, args: unknown): string {
  const text = format(...(Array.isArray(args) ? args : [args]));
  return type === 'log' || type === 'info' ? text : `[${type}] ${text}`;
}

/** The value, or undefined once `ms` have passed without it. */
async function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), Math.max(0, ms));
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
