/** The files the CLI writes: checked before the program runs, written after it ended. */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from './args';

/** The absolute path for an output option, or a UsageError when it can never be written. */
export function outputPath(flag: string, file: string | undefined, cwd: string): string | undefined {
  if (file === undefined) return undefined;
  const path = resolve(cwd, file);
  const dir = dirname(path);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${flag}: folder not found: ${dir}`);
  if (existsSync(path) && statSync(path).isDirectory()) throw new UsageError(`${flag}: ${path} is a folder`);
  return path;
}

export interface Written {
  /** Lines for the summary: where each file went, or why it could not be written. */
  notes: string[];
  failed: boolean;
}

export function writeOutputs(files: Array<{ flag: string; path: string | undefined; label: string; hint?: string; text: () => string }>): Written {
  const notes: string[] = [];
  let failed = false;
  for (const f of files) {
    if (!f.path) continue;
    try {
      writeFileSync(f.path, f.text());
      notes.push(`${f.label}: ${f.path}${f.hint ? ` ${f.hint}` : ''}`);
    } catch (err) {
      failed = true;
      notes.push(`async-inspector: ${f.flag}: could not write ${f.path}: ${(err as Error).message}`);
    }
  }
  return { notes, failed };
}
