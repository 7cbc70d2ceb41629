/**
 * Loads the Python agent into a running CPython: `sys.remote_exec` (3.14+, through async_inspector.remote,
 * which also wakes an idle loop) or, on 3.9–3.13, gdb calling PyRun_SimpleString under the GIL (the way
 * debuggers attach by pid). Both run the same bootstrap, which imports the agent from dist/python, starts it
 * (attach.start) and writes a marker file saying whether that worked.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AttachError, alive, ptraceDenied, pythonVersion, type AttachTarget } from './target';
import { findExecutable } from '../inspection/find-executable';

export interface AgentEndpoint {
  /** ASYNC_INSPECTOR_CHANNEL value, token and JSON config for the agent. */
  address: string;
  token: string;
  config: string;
  /** A private folder (the channel's) for the bootstrap and its marker. */
  dir: string;
  distDir: string;
}

const INJECT_TIMEOUT_S = 15;
/**
 * sys.remote_exec runs the script when the main thread next executes Python code; an idle loop is woken, but a
 * main thread blocked elsewhere (joining the thread that runs the loop) never gets there: after this long the
 * debugger route takes over (the script pending in the main thread then finds the agent running and does nothing).
 */
const REMOTE_EXEC_WAIT_S = 4;

export async function injectPython(target: AttachTarget, ep: AgentEndpoint): Promise<void> {
  const version = pythonVersion(target.executable);
  const [major, minor] = (version ?? '0.0').split('.').map(Number);
  if (version && (major < 3 || (major === 3 && minor < 9))) {
    throw new AttachError(`process ${target.pid} runs Python ${version}; attach needs CPython 3.9 or newer`);
  }
  const marker = join(ep.dir, 'attached');
  const script = join(ep.dir, 'bootstrap.py');
  writeFileSync(script, bootstrap(ep, marker), { mode: 0o644 });
  const remote = major === 3 && minor >= 14;
  if (!remote || !(await remoteExec(target, script, marker, ep.distDir))) {
    await gdbInject(target, script, marker).catch((err: unknown) => {
      if (!remote || !(err instanceof AttachError)) throw err;
      throw new AttachError(
        `process ${target.pid}'s main thread ran no Python code within ${REMOTE_EXEC_WAIT_S} s (sys.remote_exec waits for it: ` +
          `is it blocked outside the event loop, e.g. joining the loop's thread?), and gdb could not step in: ${err.message}`,
      );
    });
  }
  const result = await readMarker(marker, target.pid, INJECT_TIMEOUT_S * 1000);
  if (result !== 'ok') {
    throw new AttachError(`the agent could not start in process ${target.pid}: ${result.replace(/^error: /, '') || 'no answer'}`);
  }
}

function bootstrap(ep: AgentEndpoint, marker: string): string {
  const lit = (s: string) => JSON.stringify(s); // JSON strings are Python string literals
  // The work runs on a thread of its own: between its GIL slices the program's loop keeps turning, so the
  // attach costs the program short switches instead of one long pause (imports, the snapshot of every task).
  return `def _async_inspector_attach():
    import sys
    dist = ${lit(join(ep.distDir, 'python'))}
    try:
        added = dist not in sys.path
        if added:
            sys.path.insert(0, dist)
        try:
            from async_inspector import attach
        finally:
            if added and dist in sys.path:
                sys.path.remove(dist)
        attach.start(${lit(ep.address)}, ${lit(ep.token)}, ${lit(ep.config)})
        result = "ok"
    except BaseException as e:
        result = "error: %s: %s" % (type(e).__name__, e)
    try:
        with open(${lit(marker)}, "w") as f:
            f.write(result)
    except BaseException:
        pass


import threading

threading.Thread(target=_async_inspector_attach, name="async-inspector-attach", daemon=True).start()
`;
}

/** The one line the target runs: the bootstrap in a namespace of its own (nothing lands in __main__). */
function runLine(script: string): string {
  return `exec(open('${script}').read(), {'__name__': '__async_inspector_attach__'})`;
}

/** True once the bootstrap ran; false when the main thread ran no Python code in time (then gdb takes over). */
async function remoteExec(target: AttachTarget, script: string, marker: string, distDir: string): Promise<boolean> {
  const line = `${script}.line.py`;
  writeFileSync(line, runLine(script) + '\n', { mode: 0o644 });
  const env = { ...process.env, PYTHONPATH: join(distDir, 'python') };
  const args = ['-m', 'async_inspector.remote', String(target.pid), line, marker, String(REMOTE_EXEC_WAIT_S)];
  const { code, stderr } = await run(target.executable, args, env, (REMOTE_EXEC_WAIT_S + 10) * 1000);
  if (code === 0) return true;
  const detail = stderr.trim().split('\n').pop() ?? '';
  switch (code) {
    case 3:
      throw new AttachError(
        `process ${target.pid} has remote debugging disabled (PYTHON_DISABLE_REMOTE_DEBUG or -X disable-remote-debug): ` +
          'restart it without that to attach',
      );
    case 4:
      throw new AttachError(ptraceDenied(target.pid));
    case 5:
      return false;
    default:
      throw new AttachError(`sys.remote_exec failed on process ${target.pid}: ${detail.replace(/^failed: /, '')}`);
  }
}

async function gdbInject(target: AttachTarget, script: string, marker: string): Promise<void> {
  const gdb = findExecutable('gdb', process.env, process.cwd()) ?? (existsSync('/usr/bin/gdb') ? '/usr/bin/gdb' : undefined);
  if (!gdb) {
    throw new AttachError(`attaching to Python < 3.14 needs gdb ("apt-get install gdb"); process ${target.pid} runs an older Python`);
  }
  checkNotTraced(target.pid);
  const code = runLine(script).replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  const args = [
    '-nx', '-batch', '-q', '-iex', 'set debuginfod enabled off',
    // The process is stopped while gdb reads symbols: only libpython's (when shared) and libc's (malloc, for the
    // string) are needed, the main executable's are read anyway. About a quarter less pause than reading them all.
    '-iex', 'set auto-solib-add off', '-p', String(target.pid),
    '-ex', 'sharedlibrary libpython', '-ex', 'sharedlibrary libc\\.so',
    '-ex', 'set confirm off',
    '-ex', 'call (int)PyGILState_Ensure()',
    '-ex', `call (int)PyRun_SimpleStringFlags("${code}", (void*)0)`,
    '-ex', 'call (void)PyGILState_Release($1)',
  ];
  const { stderr, stdout } = await run(gdb, args, process.env, INJECT_TIMEOUT_S * 1000);
  const text = stderr + stdout;
  if (/\$2 = 0\b/.test(text) || existsSync(marker)) return; // PyRun_SimpleString returned 0: the bootstrap runs
  if (/ptrace: Operation not permitted|Could not attach to process/i.test(text)) {
    checkNotTraced(target.pid);
    throw new AttachError(ptraceDenied(target.pid));
  }
  if (/No symbol "Py\w+" in current context/.test(text)) {
    throw new AttachError(`process ${target.pid}'s Python exports no C API symbols gdb can call (a stripped static build?)`);
  }
  throw new AttachError(`gdb could not run the agent in process ${target.pid}: ${text.trim().split('\n').slice(-2).join(' ') || 'no output'}`);
}

/** The bootstrap's answer ("ok" or "error: …"), written by its thread once the agent started (or failed). */
async function readMarker(marker: string, pid: number, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!alive(pid)) return 'error: the process exited during the attach';
    if (existsSync(marker)) {
      const text = readFileSync(marker, 'utf8');
      if (text) return text;
    }
    await new Promise((ok) => setTimeout(ok, 20));
  }
  return '';
}

/** A process has one tracer at a time: say who holds it (a debugger, or another attach still injecting). */
function checkNotTraced(pid: number): void {
  let tracer = 0;
  try {
    tracer = Number(/^TracerPid:\s*(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return;
  }
  if (tracer > 0) {
    throw new AttachError(`process ${pid} is being traced by process ${tracer} (a debugger, or another attach in progress): detach that first`);
  }
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      done({ code: null, stdout, stderr: stderr + String(err) });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}
