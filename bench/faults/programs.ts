/**
 * The programs the fault matrix runs: every fixture (test/fixtures/{node,python}, their flags/ and workers/
 * folders; helpers named `_…` left out) and every example. Python runs in the test venv (aiohttp, uvloop);
 * a fixture's `inspector-args: --timeout N` line marks a program that never ends on its own.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, type Program, type Runtime } from './matrix';

const DIRS: Record<Runtime, string[]> = {
  node: ['test/fixtures/node', 'test/fixtures/node/flags', 'test/fixtures/node/workers', 'examples/node'],
  python: ['test/fixtures/python', 'test/fixtures/python/flags', 'examples/python'],
};
const EXT: Record<Runtime, RegExp> = { node: /\.(c|m)?js$/, python: /\.py$/ };

let venv: string | undefined;
export function venvPython(): string {
  venv ??= join(execFileSync('bash', [join(root, 'scripts/python-env.sh')], { encoding: 'utf8' }).trim().split('\n').pop()!, 'bin', 'python');
  return venv;
}

export function listPrograms(runtime: Runtime, filter?: string): Program[] {
  const interpreter = runtime === 'node' ? 'node' : venvPython();
  return DIRS[runtime].flatMap((dir) => {
    if (!existsSync(join(root, dir))) return [];
    return readdirSync(join(root, dir), { withFileTypes: true })
      .filter((e) => e.isFile() && EXT[runtime].test(e.name) && !e.name.startsWith('_'))
      .map((e) => `${dir}/${e.name}`)
      .filter((file) => !filter || file.includes(filter))
      .sort()
      .map((file) => {
        const head = readFileSync(join(root, file), 'utf8').split('\n').slice(0, 10).join('\n');
        const t = /inspector-args:.*--timeout (\d+)/.exec(head);
        return { runtime, file, interpreter, ...(t ? { timeoutS: Number(t[1]) } : {}) };
      });
  });
}
