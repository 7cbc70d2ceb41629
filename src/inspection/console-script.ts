/**
 * A Python console script (`uvicorn`, `gunicorn`, any pip-installed entry point) run by its name: the interpreter
 * its `#!` line names, so the launch can run it as `python -m async_inspector <script> args…` — what the kernel
 * would have run, with the agent first (the script sees the same sys.argv, sys.path[0] and exit code).
 *
 * The `#!` forms pip writes: `#!/path/to/python`, `#!/usr/bin/env python3`, and for a path too long or with
 * spaces, a `/bin/sh` trampoline whose second line is `'''exec' "/path/to/python" "$0" "$@"`.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { findExecutable } from './find-executable';
import { PYTHON_EXE } from './runtime';

const HEAD_BYTES = 1024;

/**
 * `[interpreter, ...its options, scriptPath, ...args]` when `command[0]` is a file (on the program's PATH) whose
 * `#!` line runs Python; otherwise undefined.
 */
export function viaScriptInterpreter(
  command: string[], env: Record<string, string | undefined>, cwd: string,
): string[] | undefined {
  const script = findExecutable(command[0] ?? '', env, cwd);
  if (!script) return undefined;
  const interpreter = scriptInterpreter(script);
  return interpreter ? [...interpreter, script, ...command.slice(1)] : undefined;
}

/** The Python interpreter (with its options) the `#!` line of the file `script` names, or undefined. */
export function scriptInterpreter(script: string): string[] | undefined {
  return pythonShebang(readHead(script));
}

/** The Python interpreter (with its options) a script's first lines name, or undefined. */
export function pythonShebang(head: string): string[] | undefined {
  if (!head.startsWith('#!')) return undefined;
  const lines = head.split(/\r?\n/);
  let words = lines[0].slice(2).trim().split(/\s+/).filter(Boolean);
  if (words[0] === '/bin/sh') {
    const exec = /^'''exec' (?:"([^"]+)"|(\S+)) "\$0" "\$@"/.exec(lines[1] ?? '');
    if (!exec) return undefined;
    words = [exec[1] ?? exec[2]];
  } else if (basename(words[0] ?? '') === 'env') {
    words = words.slice(1).filter((w) => w !== '-S');
  }
  return words.length > 0 && PYTHON_EXE.test(basename(words[0])) ? words : undefined;
}

function readHead(file: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const buf = Buffer.alloc(HEAD_BYTES);
    const n = readSync(fd, buf, 0, HEAD_BYTES, 0);
    return buf.subarray(0, n).toString('utf8');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
