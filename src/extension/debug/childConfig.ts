/**
 * F5 on an `async-inspector` configuration debugs too: unless it says `"debug": false`, the program runs under
 * the runtime's standard debugger — js-debug (`pwa-node`, in every VS Code) for Node, debugpy for Python when a
 * `debugpy` debugger is installed — in a child session of ours, marked `"asyncInspector": true` so the
 * extension follows it like any marked configuration. Pure (test/debug/follow-config.test.ts).
 */
import type { Runtime } from '../../protocol/events';
import type { DebugConfig } from './followDecision';

export type ChildDebugType = 'pwa-node' | 'debugpy';

export const PYTHON_NO_DEBUGGER_NOTE =
  'Async Inspector: this Python program runs without breakpoints, because no Python debugger is installed. ' +
  'Install the Python Debugger extension (ms-python.debugpy) and F5 runs it under debugpy, with breakpoints, ' +
  'stepping and this view together. ("debug": false in the configuration runs it as now, without this note.)';

/** Which debugger runs the program, or why none does (a note for the Debug Console). */
export function childDebugType(
  runtime: Runtime, config: DebugConfig, pythonDebugger: boolean,
): { type: ChildDebugType } | { type: undefined; note?: string } {
  if (config.debug === false) return { type: undefined };
  if (runtime === 'node') return { type: 'pwa-node' };
  return pythonDebugger ? { type: 'debugpy' } : { type: undefined, note: PYTHON_NO_DEBUGGER_NOTE };
}

/** The child session's configuration: the same program, arguments, folder and environment, followed by the inspector. */
export function childConfiguration(parent: DebugConfig, type: ChildDebugType): DebugConfig {
  const str = (k: string): string | undefined => (typeof parent[k] === 'string' ? (parent[k] as string) : undefined);
  const list = (k: string): string[] | undefined => (Array.isArray(parent[k]) ? (parent[k] as unknown[]).map(String) : undefined);
  const common: DebugConfig = {
    type, request: 'launch', name: parent.name, program: str('program'), args: list('args') ?? [],
    ...(str('cwd') ? { cwd: str('cwd') } : {}),
    ...(parent.env && typeof parent.env === 'object' ? { env: parent.env } : {}),
    // Ours, read when the child is followed (followProvider): whether its child processes are traced too.
    ...(typeof parent.traceChildProcesses === 'boolean' ? { traceChildProcesses: parent.traceChildProcesses } : {}),
    asyncInspector: true,
  };
  const exe = str('runtimeExecutable');
  const runtimeArgs = list('runtimeArgs');
  switch (type) {
    case 'pwa-node':
      return { ...common, console: 'internalConsole', ...(exe ? { runtimeExecutable: exe } : {}), ...(runtimeArgs ? { runtimeArgs } : {}) };
    case 'debugpy':
      return { ...common, console: 'internalConsole', ...(exe ? { python: exe } : {}), ...(runtimeArgs ? { pythonArgs: runtimeArgs } : {}) };
  }
}
