/**
 * Interned source locations. A site is sent once (a `site` event) and referred to by id afterwards.
 * Positions go through the program's source maps when Node has them (`--enable-source-maps`, tsx), so
 * TypeScript programs point at their .ts lines.
 */
import { findSourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { AgentEvent } from '../../protocol/events';

const ids = new Map<string, number>();
let fresh: AgentEvent[] = [];
let nextSite = 0;
const MAX_SITES = 200_000;

/** A position names one function, so the label is only computed (`fn()`) for a new position. */
export function internSite(rawFile: string, line: number, col: number, label: () => string): number | null {
  const key = `${rawFile}:${line}:${col}`;
  const known = ids.get(key);
  if (known !== undefined) return known;
  if (ids.size >= MAX_SITES) return null;
  const id = ++nextSite;
  ids.set(key, id);
  const fn = label();
  const mapped = mapPosition(rawFile, line, col);
  fresh.push({ e: 'site', id, file: mapped.file, line: mapped.line, col: mapped.col, fn });
  return id;
}

/** Site events interned since the last call (sent before the events that name them). */
export function takeNewSites(): AgentEvent[] {
  const out = fresh;
  fresh = [];
  return out;
}

function toPath(file: string): string {
  if (!file.startsWith('file://')) return file;
  try {
    return fileURLToPath(file);
  } catch {
    return file;
  }
}

type SourceMapLike = { findEntry(line: number, col: number): { originalSource?: string; originalLine?: number; originalColumn?: number } };
const maps = new Map<string, SourceMapLike | null>();

function mapPosition(file: string, line: number, col: number): { file: string; line: number; col: number } {
  try {
    let map = maps.get(file);
    if (map === undefined) {
      map = (typeof findSourceMap === 'function' ? (findSourceMap(file) as SourceMapLike | undefined) : undefined) ?? null;
      maps.set(file, map);
    }
    const entry = map?.findEntry(line - 1, col - 1);
    if (entry && entry.originalSource && typeof entry.originalLine === 'number') {
      return { file: toPath(entry.originalSource), line: entry.originalLine + 1, col: (entry.originalColumn ?? 0) + 1 };
    }
  } catch {
    // No usable source map: keep the generated position.
  }
  return { file: toPath(file), line, col };
}
