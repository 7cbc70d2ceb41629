/**
 * Which runtime runs a file: the launcher's rule by file extension (the extension needs it before launch,
 * to pick the Python interpreter), and by editor language.
 */
import type { Runtime } from '../protocol/events';

export { runtimeForProgram } from '../inspection/runtime';

/** Language ids of editors whose file can be traced as it is. */
export function runtimeForLanguage(languageId: string): Runtime | undefined {
  if (languageId === 'python') return 'python';
  if (languageId === 'javascript' || languageId === 'typescript') return 'node';
  return undefined;
}
