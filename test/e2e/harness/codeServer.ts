/**
 * A private code-server (real VS Code in the browser) for one test run: its own config, user-data
 * and extensions folders under a temp dir, quiet user settings, a free loopback port. It runs in its
 * own session/process group (setsid via `detached`), and stop() kills the whole group: killing only
 * the main process leaves file-watcher processes behind.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Tools } from './tools';

/** Settings that keep the UI quiet and deterministic (no welcome page, updates, AI, git scans). */
const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'git.autoRepositoryDetection': false,
  'remote.autoForwardPorts': false,
};

export class CodeServer {
  private constructor(
    private readonly tools: Tools,
    private readonly dirs: { root: string; userData: string; extensions: string; config: string; log: string },
    private child: ChildProcess | undefined,
    readonly port: number,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Makes the folders and settings; extensions are installed before start(). */
  static async prepare(tools: Tools, extraSettings: Record<string, unknown> = {}): Promise<CodeServer> {
    const root = mkdtempSync(join(tmpdir(), 'async-inspector-e2e-'));
    const dirs = {
      root,
      userData: join(root, 'user-data'),
      extensions: join(root, 'extensions'),
      config: join(root, 'code-server.yaml'),
      log: join(root, 'code-server.log'),
    };
    mkdirSync(join(dirs.userData, 'User'), { recursive: true });
    mkdirSync(dirs.extensions, { recursive: true });
    writeSettings(dirs.userData, { ...QUIET_SETTINGS, ...extraSettings });
    const port = await freePort();
    writeFileSync(
      dirs.config,
      [`bind-addr: 127.0.0.1:${port}`, 'auth: none', 'cert: false', 'disable-telemetry: true',
        'disable-update-check: true', ''].join('\n'),
    );
    return new CodeServer(tools, dirs, undefined, port);
  }

  private baseArgs(): string[] {
    return [this.tools.codeServerEntry, '--config', this.dirs.config, '--user-data-dir', this.dirs.userData,
      '--extensions-dir', this.dirs.extensions];
  }

  /**
   * Changes user settings (the quiet ones stay), e.g. `workbench.colorTheme`. A window opened afterwards
   * reads them; one already open may not notice the edit (Workbench.setColorTheme switches it instead).
   */
  updateSettings(settings: Record<string, unknown>): void {
    const file = join(this.dirs.userData, 'User', 'settings.json');
    writeSettings(this.dirs.userData, { ...(JSON.parse(readFileSync(file, 'utf8')) as object), ...settings });
  }

  async installExtension(vsix: string): Promise<void> {
    const { stdout } = await promisify(execFile)(this.tools.node, [...this.baseArgs(), '--install-extension', vsix],
      { timeout: 60_000 });
    if (!/successfully installed/i.test(stdout)) throw new Error(`installing ${vsix} failed:\n${stdout}`);
  }

  /**
   * `args` are added to the command line (e.g. `--vscode-option enable-smoke-test-driver`); `env` is added to
   * the environment, which its extension host inherits.
   */
  async start(options: { args?: string[]; env?: Record<string, string> } = {}): Promise<void> {
    const logFd = openSync(this.dirs.log, 'w');
    this.child = spawn(this.tools.node, [...this.baseArgs(), '--disable-workspace-trust', ...(options.args ?? [])], {
      detached: true, // setsid: a process group of its own, killed whole by stop()
      stdio: ['ignore', logFd, logFd],
      env: { ...process.env, ...options.env },
    });
    closeSync(logFd);
    this.child.unref();
    const child = this.child;
    process.once('exit', () => killGroup(child, 'SIGKILL'));
    await this.waitHealthy(90_000); // ~5 s idle; a loaded 2-core machine may take many times that
  }

  private async waitHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child?.exitCode !== null) throw new Error(`code-server exited early:\n${this.logTail()}`);
      try {
        const res = await fetch(`${this.url}/healthz`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`code-server not healthy after ${timeoutMs} ms:\n${this.logTail()}`);
  }

  logTail(lines = 30): string {
    try {
      return readFileSync(this.dirs.log, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child) {
      killGroup(child, 'SIGTERM');
      const deadline = Date.now() + 3000;
      while (groupAlive(child) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      killGroup(child, 'SIGKILL');
    }
    rmSync(this.dirs.root, { recursive: true, force: true });
  }
}

function writeSettings(userData: string, settings: Record<string, unknown>): void {
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

function groupAlive(child: ChildProcess): boolean {
  try {
    process.kill(-child.pid!, 0);
    return true;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
