/** Field checks for agent events: cheap typeof tests, since every event passes through them. */
import type { ErrorInfo } from '../protocol/events';

export const isNum = (v: unknown): v is number => typeof v === 'number';
export const isStr = (v: unknown): v is string => typeof v === 'string';
export const isNumOrNull = (v: unknown): v is number | null => v === null || typeof v === 'number';
export const isOptNumArray = (v: unknown): v is number[] | undefined => v === undefined || isNumArray(v);

export function isNumArray(v: unknown): v is number[] {
  if (!Array.isArray(v)) return false;
  for (const x of v) if (typeof x !== 'number') return false;
  return true;
}

export function isErrorInfo(v: unknown): v is ErrorInfo {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as ErrorInfo;
  return isStr(e.type) && isStr(e.message) && isOptNumArray(e.stack);
}
