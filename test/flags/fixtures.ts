/**
 * The flag fixtures: small programs in test/fixtures/{node,python}/flags/ whose expected flags are written
 * on the flagged lines themselves (`// expect: never-awaited`, `# expect: blocking-call`; several kinds
 * comma-separated). A fixture with no `expect:` must produce no flags at all.
 *
 * Conventions: only top-level files are fixtures (`.js`/`.mjs`/`.cjs` for Node, `.py` for Python); names
 * starting with `_` are helpers imported by fixtures, not run. In the first 10 lines, a comment
 * `inspector-args: --timeout 3` adds CLI options (e.g. for a fixture that hangs on purpose), and
 * `inspector-python: venv` runs a Python fixture with the test venv's interpreter (aiohttp, uvloop).
 * After the kinds, `chain: main → Promise.all → load` says what the flag's message must read (a stuck chain).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Runtime } from '../../src/protocol/events';

export const root = join(__dirname, '..', '..');
export const fixturesDir = (runtime: Runtime) => join(root, 'test', 'fixtures', runtime, 'flags');

const EXTENSIONS: Record<Runtime, RegExp> = { node: /\.(c|m)?js$/, python: /\.py$/ };
const EXPECT = /(?:\/\/|#)\s*expect:\s*([a-z][a-z0-9-]*(?:\s*,\s*[a-z][a-z0-9-]*)*)/;
const CHAIN = /(?:\/\/|#)\s*expect:.*?\bchain:\s*(.+?)\s*$/;
const ARGS = /(?:\/\/|#)\s*inspector-args:\s*(.+)$/;
const VENV = /#\s*inspector-python:\s*venv\b/;

/** One expected or reported flag: what kind, at which file and line. */
export interface FlagAt {
  kind: string;
  file: string;
  line: number;
  /** Expected: text the flag's message must contain (the chain of a stuck await). Reported: the message. */
  chain?: string;
  message?: string;
}

export interface Fixture {
  runtime: Runtime;
  /** Absolute path. */
  path: string;
  /** Path relative to the repo, for tables and messages. */
  name: string;
  expected: FlagAt[];
  /** Extra CLI options from an `inspector-args:` line. */
  cliArgs: string[];
  /** Python only: needs the test venv (third-party packages). */
  venv: boolean;
}

export function parseFixture(runtime: Runtime, path: string, source: string): Fixture {
  const lines = source.split('\n');
  const expected: FlagAt[] = [];
  lines.forEach((text, i) => {
    const m = EXPECT.exec(text);
    const chain = m ? CHAIN.exec(text)?.[1] : undefined;
    if (m) for (const kind of m[1].split(',')) expected.push({ kind: kind.trim(), file: path, line: i + 1, ...(chain ? { chain } : {}) });
  });
  const argsLine = lines.slice(0, 10).map((l) => ARGS.exec(l)).find((m) => m !== null);
  const cliArgs = argsLine ? argsLine[1].trim().split(/\s+/) : [];
  const venv = runtime === 'python' && lines.slice(0, 10).some((l) => VENV.test(l));
  return { runtime, path, name: path.startsWith(root) ? path.slice(root.length + 1) : path, expected, cliArgs, venv };
}

export function listFixtures(runtimes: readonly Runtime[] = ['node', 'python']): Fixture[] {
  return runtimes.flatMap((runtime) => {
    const dir = fixturesDir(runtime);
    if (!existsSync(dir)) return [];
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile() && EXTENSIONS[runtime].test(e.name) && !e.name.startsWith('_'))
      .map((e) => e.name)
      .sort()
      .map((name) => parseFixture(runtime, join(dir, name), readFileSync(join(dir, name), 'utf8')));
  });
}

export const flagKey = (f: FlagAt) => `${f.kind} ${f.file}:${f.line}`;
