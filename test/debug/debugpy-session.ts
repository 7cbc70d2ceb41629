/**
 * A debugpy session for tests, as VS Code runs one with `"asyncInspector": true`: a listening Inspection, the
 * `debugpy` launch configuration transformed by injectPythonAgent, `python -m debugpy.adapter` driven over DAP
 * up to the first stop at a breakpoint. debugpy comes from PyPI (scripts/debugpy-env.sh, one venv per CPython).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Inspection } from '../../src/inspection/inspection';
import { injectPythonAgent, type LaunchConfig } from '../../src/inspection/inject-python';
import { DapClient, type DapMessage } from './dap-client';

export const repo = resolve(__dirname, '../..');
export const program = join(repo, 'test/fixtures/python/debug/paused_task.py');
/** The 1-based line of `file` (default: the paused-task fixture) holding `marker`. */
export const lineOf = (marker: string, file = program): number =>
  readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(marker)) + 1;

const VERSIONS = ['3.9.18', '3.10.13', '3.11.7', '3.12.1', '3.13.0'];
/** [version, interpreter] for every CPython 3.9–3.13 on this machine. */
export const interpreters: Array<[string, string]> = VERSIONS
  .map((v): [string, string] => [v, `/root/.pyenv/versions/${v}/bin/python`])
  .filter(([, p]) => existsSync(p));

export async function until<T>(what: string, get: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface DebugpySession {
  dap: DapClient;
  inspection: Inspection;
  /** The `stopped` event at the breakpoint. */
  stopped: DapMessage;
  /** The transform's warning (said once in the Debug Console by the extension), if any. */
  warning: string | undefined;
  /** When pydevd's `initialized` event arrived (performance.now()): the debuggee's first DAP event. */
  initializedAt: number;
  close(): Promise<void>;
}

/** Where the session stops: the fixture, and the function whose `# BREAKPOINT` line stops it. */
export interface Stop {
  file: string;
  fn: string;
}

export async function debugpySession(
  python: string, version: string, extra: Record<string, unknown> = {}, stop: Stop = { file: program, fn: 'checkout' },
): Promise<DebugpySession> {
  const venv = execFileSync('bash', [join(repo, 'scripts/debugpy-env.sh'), python], { encoding: 'utf8' }).trim();
  const inspection = await Inspection.listen({ listener: () => undefined, distDir: join(repo, 'dist'), endWhenAgentsLeave: false });
  const injected = injectPythonAgent(
    { type: 'debugpy', request: 'launch', name: 'paused task', program: stop.file, cwd: repo, console: 'internalConsole', justMyCode: true, ...extra },
    { ...inspection.agent!, session: `test-${version}` },
    { env: process.env, platform: process.platform, readFile: () => undefined },
  );
  assert.equal(injected.kind, 'injected');
  const { config, warning } = injected as { config: LaunchConfig; warning?: string };
  const dap = DapClient.start(join(venv, 'bin/python'), ['-m', 'debugpy.adapter']);
  const close = async (): Promise<void> => {
    dap.kill();
    await inspection.end();
  };
  try {
    await dap.request('initialize', { adapterID: 'debugpy', clientID: 'test', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path', supportsRunInTerminalRequest: true });
    const launched = dap.request('launch', config);
    await dap.event('initialized');
    const initializedAt = performance.now();
    const bp = await dap.request('setBreakpoints', { source: { path: stop.file }, breakpoints: [{ line: lineOf('# BREAKPOINT', stop.file) }] });
    assert.equal((bp.body!.breakpoints as { verified: boolean }[])[0].verified, true);
    await dap.request('configurationDone');
    await launched;
    const stopped = await dap.event('stopped');
    assert.equal(stopped.body!.reason, 'breakpoint');
    const trace = await dap.request('stackTrace', { threadId: stopped.body!.threadId });
    const top = (trace.body!.stackFrames as { name: string; line: number }[])[0];
    assert.deepEqual([top.name, top.line], [stop.fn, lineOf('# BREAKPOINT', stop.file)], 'debugpy shows its own frames');
    return { dap, inspection, stopped, warning, initializedAt, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Continue to the end of the program. */
export async function runToEnd(s: DebugpySession): Promise<void> {
  await s.dap.request('continue', { threadId: s.stopped.body!.threadId });
  await s.dap.event('terminated');
}
