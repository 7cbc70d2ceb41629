/**
 * Interned source locations. A site is sent once (a `site` event) and referred to by id afterwards.
 * Positions go through the program's source maps, so compiled TypeScript points at its .ts lines: Node's
 * own when it has them (`--enable-source-maps`, tsx), otherwise the file's `sourceMappingURL`, read once
 * per file by the agent (enabling Node's would change the program's own stack traces).
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { findSourceMap, SourceMap } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgentEvent } from '../../protocol/events';

const ids = new Map<string, number>();
/** Mapped positions by site id (index id - 1), for the rare flags that read the source line. */
const positions: { file: string; line: number; col: number }[] = [];
/** Function names without receiver type by site id (index id - 1): see siteFunction. */
const labels: string[] = [];
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
  positions.push(mapped);
  labels.push(bareName(fn));
  fresh.push({ e: 'site', id, file: mapped.file, line: mapped.line, col: mapped.col, fn });
  return id;
}

/** The (mapped) file of a site. */
export function siteFile(site: number): string | undefined {
  return positions[site - 1]?.file;
}

/** `app.js:12 (stopIt)`: a site as a short place for a message. */
export function siteWhere(site: number): string {
  const pos = positions[site - 1];
  if (pos === undefined) return '?';
  const fn = labels[site - 1];
  return `${pos.file.replace(/^.*[\\/]/, '')}:${pos.line}${fn && fn !== '<anonymous>' ? ` (${fn})` : ''}`;
}

/**
 * The function a site is in, without its receiver type: a site's label is memoized with the first receiver
 * seen ('Base.run' for a method later called on a Sub).
 */
export function siteFunction(site: number): string | undefined {
  return labels[site - 1];
}

export function bareName(label: string | null | undefined): string {
  return label ? label.slice(label.lastIndexOf('.') + 1) : '';
}

/** The source text of a site's line before its column ('' when unreadable). Reads each file once. */
export function textBefore(site: number): string {
  const pos = positions[site - 1];
  if (pos === undefined) return '';
  const lines = sourceLines(pos.file);
  const text = lines?.[pos.line - 1];
  return text === undefined ? '' : text.slice(0, Math.max(0, pos.col - 1));
}

const MAX_SOURCE_BYTES = 2 * 1024 * 1024;
const sources = new Map<string, string[] | null>();
function sourceLines(file: string): string[] | null {
  let lines = sources.get(file);
  if (lines === undefined) {
    lines = null;
    try {
      if (!file.startsWith('node:') && fstatSize(file) <= MAX_SOURCE_BYTES) lines = readFileSync(file, 'utf8').split('\n');
    } catch {
      lines = null;
    }
    if (sources.size < 100) sources.set(file, lines);
  }
  return lines;
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
      map = (typeof findSourceMap === 'function' ? (findSourceMap(file) as SourceMapLike | undefined) : undefined) ?? loadSourceMap(file);
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

const MAX_MAP_BYTES = 32 * 1024 * 1024;

/** The source map a compiled file names in its last lines (a file next to it, or a data: URL). */
function loadSourceMap(file: string): SourceMapLike | null {
  if (typeof SourceMap !== 'function' || file.startsWith('node:')) return null;
  const path = toPath(file);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const size = fstatSync(fd).size;
    const tail = Buffer.alloc(Math.min(size, 4096));
    readSync(fd, tail, 0, tail.length, size - tail.length);
    const m = /\/\/[#@] sourceMappingURL=(\S+)\s*$/.exec(tail.toString('utf8'));
    if (!m) return null;
    const url = m[1];
    let text: string;
    if (url.startsWith('data:')) {
      const comma = url.indexOf(',');
      const body = url.slice(comma + 1);
      text = url.slice(0, comma).endsWith(';base64') ? Buffer.from(body, 'base64').toString('utf8') : decodeURIComponent(body);
    } else {
      const mapPath = resolve(dirname(path), decodeURIComponent(url));
      if (fstatSize(mapPath) > MAX_MAP_BYTES) return null;
      text = readFileSync(mapPath, 'utf8');
    }
    const payload = JSON.parse(text) as { sources?: string[]; sourceRoot?: string };
    // Resolve sources against the map's folder, as Node does, so sites carry absolute paths.
    const base = url.startsWith('data:') ? dirname(path) : dirname(resolve(dirname(path), decodeURIComponent(url)));
    if (Array.isArray(payload.sources)) {
      payload.sources = payload.sources.map((src) => (src.startsWith('file://') ? src : resolve(base, payload.sourceRoot ?? '', src)));
    }
    return new SourceMap(payload as ConstructorParameters<typeof SourceMap>[0]) as unknown as SourceMapLike;
  } catch {
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function fstatSize(path: string): number {
  const fd = openSync(path, 'r');
  try {
    return fstatSync(fd).size;
  } finally {
    closeSync(fd);
  }
}
