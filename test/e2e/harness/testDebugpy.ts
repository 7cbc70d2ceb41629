/**
 * Python debugging in code-server without Microsoft's Python Debugger extension (not installable offline):
 * test/debugpy-extension contributes the `debugpy` type backed by `python -m debugpy.adapter`, with debugpy
 * from PyPI in a cached venv (scripts/debugpy-env.sh). Install its VSIX beside ours and start code-server with
 * `env` so the extension host finds the interpreter.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Packages the test-only extension (vsce, offline) and returns its VSIX. */
export function testDebugpyVsix(root: string): string {
  const out = join(mkdtempSync(join(tmpdir(), 'test-debugpy-')), 'test-debugpy.vsix');
  execFileSync(join(root, 'node_modules/.bin/vsce'), ['package', '--no-dependencies', '--allow-missing-repository', '-o', out],
    { cwd: join(root, 'test/debugpy-extension'), stdio: ['ignore', 'ignore', 'inherit'], timeout: 120_000 });
  return out;
}

/** The environment code-server needs so the test extension runs debugpy's adapter. */
export function debugpyEnv(root: string, python = 'python3'): Record<string, string> {
  const venv = execFileSync('bash', [join(root, 'scripts/debugpy-env.sh'), python], { encoding: 'utf8' }).trim();
  return { ASYNC_INSPECTOR_TEST_DEBUGPY_PYTHON: join(venv, 'bin/python') };
}
