/**
 * Golden text of what a user reads (as vscode-js-debug does for its stacks): for each example and fixture
 * program, the CLI summary (outcome, counts, task tree, flags) and the report's whole task tree, compared
 * with a checked-in `.txt` under test/golden/<runtime>/. Machine-specific parts — the repository path,
 * temporary folders, times and durations, pids — are normalised. `node scripts/golden.mjs --update`
 * rewrites the files after a deliberate change (it runs each program twice and refuses output that differs).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import type { Report, ReportTask } from '../../src/model/types';

export const ROOT = join(__dirname, '..', '..');
export const GOLDEN_DIR = __dirname;
const CLI = join(ROOT, 'dist', 'cli.js');

export interface Program {
  /** Golden file name: `<runtime>/<examples|fixtures>-<file>.txt`. */
  key: string;
  command: string[];
}

/**
 * Programs not compared, and why. Each is covered elsewhere by a test that asserts what matters in it.
 */
export const NOT_COMPARED: Readonly<Record<string, string>> = {
  'node/fixtures-fetch.js': 'needs a local HTTP server from its test (test/agent-node/fetch.test.ts)',
  'node/fixtures-sockets.js': 'needs its test\'s server (test/agent-node/sockets.test.ts)',
  'node/fixtures-killed.js': 'kills itself with a signal its test sends',
  'python/fixtures-aiohttp_fanout.py': 'needs aiohttp (test venv only)',
  'python/fixtures-uvloop_tasks.py': 'needs uvloop (test venv only)',
  'python/fixtures-uvloop_run.py': 'needs uvloop (test venv only)',
  'python/fixtures-cancellers_uvloop.py': 'needs uvloop (test venv only)',
  'python/fixtures-short_awaits.py': 'whether a combinator is first seen at a flush or when a child ends orders the report tree differently (test/python/test_scenarios.py asserts each await and combinator)',
  'python/fixtures-helper_module.py': 'a module imported by other fixtures, not a program',
  'python/fixtures-executors.py': 'a process pool starting up may hold the loop past the threshold on a loaded machine (a blocking-call flag or not)',
  'python/fixtures-storm.py': 'a task storm: how many finished tasks are rolled up or retired depends on timing (test/python and bench cover it)',
  'python/fixtures-mp_children.py': 'takes the start method as its argument; test/python/test_child_processes.py runs each',
  'python/fixtures-subprocess_children.py': 'the order in which its traced children connect and end varies (test/python/test_child_processes.py covers it)',
  'python/fixtures-child_async.py': 'a child of subprocess_children.py, not a program of its own',
  'node/fixtures-inspect-objects.js': 'an accepted socket is named "TCP accepted on <addr>" or "TCP accepted <addr>" depending on timing (test/agent-node/invisible.test.ts covers it)',
};

const PYTHON = process.env.ASYNC_INSPECTOR_PYTHON ?? 'python3';

/** Every example and top-level fixture program (flag fixtures have their own precision suite). */
export function programs(): Program[] {
  const out: Program[] = [];
  const add = (folder: string, label: string, runtime: 'node' | 'python'): void => {
    const dir = join(ROOT, folder);
    if (!existsSync(dir)) return;
    for (const file of readdirSync(dir).sort()) {
      const ext = extname(file);
      const isProgram = runtime === 'node' ? ext === '.js' || ext === '.mjs' : ext === '.py';
      if (!isProgram) continue;
      const key = `${runtime}/${label}-${file}`;
      if (key in NOT_COMPARED) continue;
      out.push({ key, command: [runtime === 'node' ? 'node' : PYTHON, join(folder, file)] });
    }
  };
  add('examples/node', 'examples', 'node');
  add('examples/python', 'examples', 'python');
  add('test/fixtures/node', 'fixtures', 'node');
  add('test/fixtures/python', 'fixtures', 'python');
  return out;
}

/** Runs one program through the CLI; the golden text of what it printed and reported. */
export async function goldenText(program: Program): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'ai-golden-'));
  const json = join(dir, 'report.json');
  try {
    const stderr = await runCli(['run', '--json', json, '--timeout', '30', '--', ...program.command]);
    const at = stderr.indexOf('── Async Inspector');
    const summary = at >= 0 ? stderr.slice(at) : `(no summary)\n${stderr}`;
    const report = existsSync(json) ? (JSON.parse(readFileSync(json, 'utf8')) as Report) : undefined;
    const tree = report ? reportTree(report) : '(no report)\n';
    return normalise(`$ async-inspector run -- ${program.command.join(' ')}\n${summary}\n── report task tree ──\n${tree}`, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runCli(args: string[]): Promise<string> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d) => (stderr += d));
  return new Promise((ok) => child.on('close', () => ok(stderr)));
}

/** Every task of the report, nested by parent, with what it awaits (by name) and where it was created. */
export function reportTree(report: Report): string {
  const byId = new Map(report.tasks.map((t) => [t.id, t]));
  const children = new Map<string | null, ReportTask[]>();
  for (const t of report.tasks) {
    const parent = t.parent !== null && byId.has(t.parent) ? t.parent : null;
    const list = children.get(parent) ?? [];
    list.push(t);
    children.set(parent, list);
  }
  const lines: string[] = [];
  const where = (l: ReportTask['created'] | undefined) => (l ? `${l.file}:${l.line}` : '?');
  const visit = (parent: string | null, depth: number): void => {
    for (const t of children.get(parent) ?? []) {
      const awaiting = t.awaiting.map((id) => byId.get(id)?.name ?? '(not kept)');
      let line = `${'  '.repeat(depth)}${t.state} ${t.kind} ${t.name || '<anonymous>'} @${where(t.created)}`;
      if (awaiting.length > 0) line += ` awaits [${awaiting.join(', ')}]`;
      if (t.awaitAt) line += ` at ${where(t.awaitAt)}`;
      if (t.thread) line += ` on ${t.thread}`;
      if (t.error) line += ` ${t.error.type}: ${t.error.message.split('\n')[0]}`;
      lines.push(line);
      visit(t.id, depth + 1);
    }
  };
  visit(null, 0);
  const flags = report.flags.map((f) => `flag ${f.kind} @${where(f.location)}`);
  return [...lines, ...flags].join('\n') + '\n';
}

/** Replaces what differs between machines and runs. */
export function normalise(text: string, tmp: string): string {
  return text
    .split(tmp).join('<tmp>')
    .split(ROOT).join('<repo>')
    .split(`file://${ROOT}`).join('file://<repo>')
    .replace(/\b\d+(\.\d+)?\s?(ms|s|µs|us)\b/g, '<time>')
    .replace(/\bpid \d+/g, 'pid <pid>')
    // Which pool thread takes a job is the scheduler's choice (ThreadPoolExecutor's prefix_N names).
    .replace(/\bon (\w+)_\d+\b/g, 'on $1_<n>')
    .replace(/\b(127\.0\.0\.1|localhost|\[::1\]):\d+/g, '$1:<port>')
    .replace(new RegExp(`\\b${PYTHON.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'g'), 'python3')
    .replace(/[ \t]+$/gm, '');
}

export function goldenPath(program: Program): string {
  return join(GOLDEN_DIR, `${program.key}.txt`);
}
