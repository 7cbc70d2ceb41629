/** Lint rules: small objects that look at the finished model and return flags. */
import type { FlagKind, Runtime } from '../../protocol/events';
import type { FlagView, LocatedTask, LoopView } from '../types';

export interface ProgramExit {
  code: number | null;
  signal: string | null;
  durationMs?: number;
  /** From the main process's `bye`: whether it ended by running out of work (undefined: not said). */
  drained?: boolean;
}

/** A read-only look at the model, as the rules see it. */
export interface LintContext {
  /** The held tasks, their sites resolved. */
  tasks: readonly LocatedTask[];
  byId: ReadonlyMap<string, LocatedTask>;
  /** Event loops (Python) / JS threads (Node) by id, with the thread each runs in. */
  loops: ReadonlyMap<string, LoopView>;
  /** Flags raised so far (agent findings), so a rule can avoid repeating one. */
  flags: readonly FlagView[];
  exit: ProgramExit;
  /** The traced program's runtime, when an agent said hello. */
  runtime: Runtime | undefined;
  now: number;
}

export type LintFlag = Omit<FlagView, 'id' | 't' | 'kind'>;

export interface LintRule {
  kind: FlagKind;
  check(ctx: LintContext): LintFlag[];
}
