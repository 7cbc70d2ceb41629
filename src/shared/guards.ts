/**
 * Small runtime type guards for data crossing the extension ↔ webview boundary. Both sides treat every
 * incoming message as untrusted JSON: program strings flow through it, and a webview can be scripted.
 * Pure (no DOM, no vscode), so the extension host and the browser bundle share it.
 */

export type Json = unknown;

export function isRecord(v: Json): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isString(v: Json): v is string {
  return typeof v === 'string';
}

/** A finite number (JSON cannot carry NaN/Infinity, but postMessage's structured clone can). */
export function isNumber(v: Json): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

export function isOptional<T>(v: Json, guard: (x: Json) => x is T): v is T | undefined {
  return v === undefined || guard(v);
}

export function isNullable<T>(v: Json, guard: (x: Json) => x is T): v is T | null {
  return v === null || guard(v);
}

export function isArrayOf<T>(v: Json, guard: (x: Json) => x is T): v is T[] {
  if (!Array.isArray(v)) return false;
  for (const item of v) if (!guard(item)) return false;
  return true;
}

export function isOneOf<T extends string>(values: readonly T[]): (v: Json) => v is T {
  return (v: Json): v is T => typeof v === 'string' && (values as readonly string[]).includes(v);
}

/** A 1-based source line (or column) that an editor can reveal. */
export function isLineNumber(v: Json): v is number {
  return isNumber(v) && Number.isInteger(v) && v >= 1 && v <= 10_000_000;
}
