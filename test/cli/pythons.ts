/** CPython ≥ 3.9 interpreters on this machine: pyenv's, then the cached builds of scripts/ensure-python314.sh. */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface Python {
  path: string;
  version: string;
  minor: number;
}

/** Where pyenv keeps its versions: what `pyenv root` says, else $PYENV_ROOT, else ~/.pyenv. */
export function pyenvRoot(): string {
  try {
    const root = execFileSync('pyenv', ['root'], { encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (root) return root;
  } catch {
    // pyenv is not on PATH
  }
  return process.env.PYENV_ROOT || join(homedir(), '.pyenv');
}

export function pythonsForAttach(): Python[] {
  const out: Python[] = [];
  const pyenv = join(pyenvRoot(), 'versions');
  const cache = process.env.ASYNC_INSPECTOR_PERSISTENT_CACHE ?? join(homedir(), '.cache', 'async-inspector-persistent');
  const candidates: string[] = [];
  if (existsSync(pyenv)) for (const v of readdirSync(pyenv).sort()) candidates.push(join(pyenv, v, 'bin', 'python3'));
  if (existsSync(cache)) {
    for (const d of readdirSync(cache).sort()) {
      const m = /^python-(3\.\d+)\.\d+$/.exec(d);
      if (m && existsSync(join(cache, d, '.complete'))) candidates.push(join(cache, d, 'bin', `python${m[1]}`));
    }
  }
  const seen = new Set<string>();
  for (const path of candidates) {
    if (!existsSync(path)) continue;
    try {
      const version = execFileSync(path, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8', timeout: 10_000 }).trim();
      const minor = Number(version.split('.')[1]);
      if (version.startsWith('3.') && minor >= 9 && !seen.has(version)) {
        seen.add(version);
        out.push({ path, version, minor });
      }
    } catch {
      // not runnable: skipped
    }
  }
  // The machine's default python3 first (the main tests run on it), when it is one of them.
  return out;
}
