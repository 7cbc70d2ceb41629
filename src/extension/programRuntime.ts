/**
 * Which runtime runs a program file, from its extension (vscode-free; unit-tested). The adapter applies
 * the same rule when "runtime" is missing; the extension needs it earlier to pick the Python interpreter.
 */
import { extname } from 'node:path';
import type { Runtime } from '../protocol/events';

const RUNTIME_BY_EXTENSION: Readonly<Record<string, Runtime>> = {
  '.js': 'node', '.mjs': 'node', '.cjs': 'node', '.ts': 'node', '.mts': 'node', '.cts': 'node',
  '.py': 'python', '.pyw': 'python',
};

export function runtimeForProgram(program: string): Runtime | undefined {
  return RUNTIME_BY_EXTENSION[extname(program).toLowerCase()];
}

/** Language ids of editors whose file can be traced as it is. */
export function runtimeForLanguage(languageId: string): Runtime | undefined {
  if (languageId === 'python') return 'python';
  if (languageId === 'javascript' || languageId === 'typescript') return 'node';
  return undefined;
}
