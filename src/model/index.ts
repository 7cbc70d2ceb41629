/** The model's public surface, for the adapter, the CLI and the extension. */
export { InspectorModel, type ModelOptions } from './model';
export { toChromeTrace, type ChromeTrace, type TraceInput } from './trace';
export { exitCodeOf } from './report';
export { END_OF_RUN_RULES, type LintRule } from './lints';
export type * from './types';
