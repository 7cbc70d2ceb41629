/** The end-of-run lint rules, in the order they run. Add a rule here to have every front end report it. */
import type { LintContext, LintFlag, LintRule } from './types';
import { pendingAtExit } from './pending-at-exit';

export const END_OF_RUN_RULES: readonly LintRule[] = [pendingAtExit];

export function runLints(rules: readonly LintRule[], ctx: LintContext): Array<LintFlag & { kind: LintRule['kind'] }> {
  return rules.flatMap((rule) => rule.check(ctx).map((flag) => ({ kind: rule.kind, ...flag })));
}

export type { LintContext, LintFlag, LintRule, ProgramExit } from './types';
