/**
 * The channel socket's private directory: `async-inspector-<pid>-XXXXXX` in the temp folder, 0700 (mkdtemp),
 * removed when the session closes. A launcher killed with SIGKILL cannot remove its own, so each new one
 * first sweeps the directories of launchers that are no longer running (its own user's only).
 */
import { lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'async-inspector-';
const OWNED = /^async-inspector-(\d+)-[A-Za-z0-9]{6}$/;

export function makeChannelDir(): string {
  sweepStaleChannelDirs();
  return mkdtempSync(join(tmpdir(), `${PREFIX}${process.pid}-`));
}

export function removeChannelDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Removes the channel directories of launchers that died without cleaning up. Never throws. */
export function sweepStaleChannelDirs(root = tmpdir()): number {
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return 0;
  }
  const uid = process.getuid?.();
  for (const name of names) {
    const pid = OWNED.exec(name)?.[1];
    if (pid === undefined || alive(Number(pid))) continue;
    const path = join(root, name);
    try {
      const st = lstatSync(path);
      if (!st.isDirectory() || (uid !== undefined && st.uid !== uid)) continue;
      rmSync(path, { recursive: true, force: true });
      removed++;
    } catch {
      // raced with its owner or another sweeper: nothing to do
    }
  }
  return removed;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // someone else's live process
  }
}
