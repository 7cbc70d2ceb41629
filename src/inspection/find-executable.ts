/**
 * Finds an interpreter the way the program's spawn will: a name with a path separator is a file
 * (relative to cwd), a bare name is looked up on the program's PATH. Checked before launching so a typo
 * in `runtimeExecutable` becomes "runtime not found: X" instead of a silent spawn failure.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

export function findExecutable(name: string, env: Record<string, string | undefined>, cwd: string): string | undefined {
  if (!name) return undefined;
  if (isAbsolute(name) || name.includes('/') || (process.platform === 'win32' && name.includes('\\'))) {
    return firstRunnable(withWindowsExtensions(resolve(cwd, name), env));
  }
  const searchPath = pathVariable(env) ?? '';
  for (const dir of searchPath.split(delimiter)) {
    if (!dir) continue;
    const found = firstRunnable(withWindowsExtensions(join(dir, name), env));
    if (found) return found;
  }
  return undefined;
}

function pathVariable(env: Record<string, string | undefined>): string | undefined {
  // Windows spells it Path; POSIX is case-sensitive and uses PATH.
  if (process.platform !== 'win32') return env.PATH;
  const key = Object.keys(env).find((k) => k.toUpperCase() === 'PATH');
  return key ? env[key] : undefined;
}

function withWindowsExtensions(file: string, env: Record<string, string | undefined>): string[] {
  if (process.platform !== 'win32') return [file];
  const exts = (env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean);
  return [file, ...exts.map((ext) => file + ext)];
}

function firstRunnable(candidates: string[]): string | undefined {
  return candidates.find(isRunnableFile);
}

function isRunnableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
