/**
 * Following debugpy sessions, as F5 resolves them inside real VS Code: a `debugpy` (or legacy `python`) launch
 * configuration marked `"asyncInspector": true` gets the agent through the extension's resolver — the agent's
 * sitecustomize folder first on PYTHONPATH (the user's entries and the env file's after it), the channel
 * variables and the session id in `env`, `envFile` merged the way the Python Debugger does it, pydevd told to
 * skip the agent — and that environment really loads the agent in a Python interpreter. Unmarked and attach
 * configurations are left as they are. Seen through resolution probes (resolutionProbe.ts); no Python Debugger
 * extension is needed for that (the probe ends the launch before a debug adapter is asked for).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { basename, delimiter, join } from 'node:path';
import { suite, suiteSetup, suiteTeardown, teardown, test, type Context } from 'mocha';
import * as vscode from 'vscode';
import { activated, Cleanup, extension, nextEvent, SessionLog, waitFor, workspaceFile, workspaceFolder } from './helpers';
import { ResolutionProbe } from './resolutionProbe';

const INSPECTION_KEY = '__asyncInspectorId';

const config = (type: string, fields: Record<string, unknown>): vscode.DebugConfiguration =>
  ({ type, request: 'launch', name: `exthost: ${type} python`, program: '${workspaceFolder}/flagged.py', ...fields });

type Env = Record<string, string>;
const envOf = (c: vscode.DebugConfiguration | undefined): Env => (c?.env ?? {}) as Env;

suite('following debugpy sessions', () => {
  const cleanup = new Cleanup();
  const probes = new Map<string, ResolutionProbe>();
  const resolve = (c: vscode.DebugConfiguration) => probes.get(c.type)!.resolve(c);

  suiteSetup(async function (this: Context) {
    const settings = extension().packageJSON.contributes?.configuration?.properties as Record<string, unknown> | undefined;
    if (!settings?.['asyncInspector.followDebugSessions']) this.skip();
    await activated();
    for (const type of ['debugpy', 'python']) probes.set(type, cleanup.add(new ResolutionProbe(type)));
  });
  suiteTeardown(() => cleanup.dispose());

  for (const type of ['debugpy', 'python']) {
    test(`a ${type} launch marked "asyncInspector": true gets the agent's sitecustomize first on PYTHONPATH, the channel in env`, async () => {
      const { resolved } = await resolve(config(type, { asyncInspector: true, env: { PYTHONPATH: '/user/lib', GREETING: 'hi' } }));
      assert.ok(resolved, 'the launch did not reach the probe');
      const env = envOf(resolved);
      const [site, ...rest] = env.PYTHONPATH.split(delimiter);
      assert.equal(basename(site), 'python-site', `PYTHONPATH: ${env.PYTHONPATH}`);
      assert.ok(existsSync(join(site, 'sitecustomize.py')), `no sitecustomize.py in ${site}`);
      assert.deepEqual(rest, ['/user/lib'], 'the user\'s entries after the agent\'s, once');
      assert.equal(env.GREETING, 'hi', 'the user\'s variables kept');
      for (const v of ['ASYNC_INSPECTOR_CHANNEL', 'ASYNC_INSPECTOR_TOKEN', 'ASYNC_INSPECTOR_CONFIG']) assert.ok(env[v], `${v} missing`);
      assert.equal(typeof resolved[INSPECTION_KEY], 'string');
      assert.equal(env.ASYNC_INSPECTOR_SESSION, resolved[INSPECTION_KEY], 'the agent\'s hello names this inspection');
      assert.ok((resolved.rules as unknown[]).some((r) => JSON.stringify(r) === '{"module":"async_inspector","include":false}'),
        `pydevd is told to skip the agent: ${JSON.stringify(resolved.rules)}`);
    });
  }

  test('the workspace env file is merged as the Python Debugger merges it, behind the agent', async () => {
    const envFile = workspaceFile('.env');
    writeFileSync(envFile.fsPath, 'PYTHONPATH=/from/env-file\nFROM_FILE=1\n');
    try {
      const { resolved } = await resolve(config('debugpy', { asyncInspector: true }));
      const env = envOf(resolved);
      const entries = env.PYTHONPATH.split(delimiter);
      assert.equal(basename(entries[0]), 'python-site');
      assert.ok(entries.includes('/from/env-file'), `PYTHONPATH: ${env.PYTHONPATH}`);
      assert.equal(env.FROM_FILE, '1');
      assert.equal(resolved?.envFile, '', 'emptied, so that a later resolver cannot put its PYTHONPATH first again');
    } finally {
      rmSync(envFile.fsPath, { force: true });
    }
  });

  test('that environment loads the agent in a real interpreter (the sitecustomize route)', async () => {
    const { resolved } = await resolve(config('debugpy', { asyncInspector: true }));
    const env = { ...process.env, ...envOf(resolved) };
    const out = execFileSync('python3', ['-c', 'import sys; print("async_inspector" in sys.modules)'], { env, encoding: 'utf8', timeout: 20_000 });
    assert.equal(out.trim(), 'True', 'the agent was imported at interpreter start-up');
    // And without it (the same interpreter, the configuration unmarked), nothing is loaded.
    const plain = (await resolve(config('debugpy', {}))).resolved;
    const without = execFileSync('python3', ['-c', 'import sys; print("async_inspector" in sys.modules)'],
      { env: { ...process.env, ...envOf(plain) }, encoding: 'utf8', timeout: 20_000 });
    assert.equal(without.trim(), 'False');
  }).timeout(60_000);

  test('unmarked and attach configurations are left as they are', async () => {
    for (const c of [config('debugpy', { env: { PYTHONPATH: '/user/lib' } }), config('debugpy', { request: 'attach', asyncInspector: true, connect: { port: 5678 } })]) {
      const { resolved } = await resolve(c);
      assert.ok(resolved, `${c.request}: the launch did not reach the probe`);
      assert.doesNotMatch(envOf(resolved).PYTHONPATH ?? '', /python-site/);
      assert.equal(resolved[INSPECTION_KEY], undefined);
    }
  });
});

// A real debugpy session (test/debugpy-extension: `python -m debugpy.adapter`, installed beside ours by
// codeServer.test.ts). debugpy has no restart request: VS Code terminates the session (`terminate` with
// `restart: true`) and launches it again with the same configuration, so the same channel gets the new program.
suite('a followed debugpy session', () => {
  let log: SessionLog;
  let tasksView: vscode.TreeDataProvider<unknown>;
  const started: vscode.DebugSession[] = [];
  let listener: vscode.Disposable | undefined;
  let last: string[] = [];

  const shown = async (): Promise<string[]> => {
    const names: string[] = [];
    for (const group of (await tasksView.getChildren(undefined)) ?? []) {
      for (const t of ((await tasksView.getChildren(group)) ?? []) as { task?: { name?: string } }[]) if (t.task?.name) names.push(t.task.name);
    }
    return names;
  };
  const showing = (name: string, without: string[], timeoutMs: number): Promise<string[]> =>
    waitFor(() => `${name} (without ${without.join(', ') || 'nothing'}) in the Async Tasks view, which shows ${JSON.stringify(last)}; sessions: ${log}`,
      async () => {
        const names = (last = await shown());
        return names.includes(name) && !without.some((n) => names.includes(n)) ? names : undefined;
      }, timeoutMs);

  suiteSetup(async function (this: Context) {
    if (!process.env.ASYNC_INSPECTOR_TEST_DEBUGPY_PYTHON) {
      console.log('a followed debugpy session: pending (no test debugpy extension in this host)');
      this.skip();
    }
    tasksView = (await activated()).asyncTasks;
    log = new SessionLog();
    listener = vscode.debug.onDidStartDebugSession((s) => {
      if (!s.parentSession) started.push(s);
    });
  });
  suiteTeardown(() => {
    listener?.dispose();
    log?.dispose();
  });
  teardown(async () => {
    for (const s of started.splice(0)) await vscode.debug.stopDebugging(s).then(undefined, () => undefined);
  });

  // `edited`: started from launch.json, which is edited before the restart; VS Code then resolves the configuration
  // again (a second inspection) before it relaunches the session, and the relaunched session replaces the first one's.
  const restarts = (edited: boolean) => async () => {
    rmSync(workspaceFile('pending-py-restart.count').fsPath, { force: true });
    const name = `exthost: pending.py restart${edited ? ' (edited)' : ''}`;
    const config = { type: 'debugpy', request: 'launch', name, program: '${workspaceFolder}/pending.py', console: 'internalConsole', asyncInspector: true };
    const launchJson = vscode.workspace.getConfiguration('launch', workspaceFolder().uri);
    if (edited) await launchJson.update('configurations', [config], vscode.ConfigurationTarget.WorkspaceFolder);
    try {
      const session = nextEvent(vscode.debug.onDidStartDebugSession, (s) => s.name === name, `${name} to start`, 30_000);
      assert.ok(await vscode.debug.startDebugging(workspaceFolder(), edited ? name : config), `${name} did not start`);
      await session;
      await showing('firstRun', [], 45_000);
      if (edited) await launchJson.update('configurations', [{ ...config, env: { EDITED: '1' } }], vscode.ConfigurationTarget.WorkspaceFolder);
      await vscode.commands.executeCommand('workbench.action.debug.restart');
      await showing('secondRun', ['firstRun'], 45_000);
      await new Promise((ok) => setTimeout(ok, 1500));
      await showing('secondRun', ['firstRun'], 5000); // and it stays so: the relaunched session was not ended
    } finally {
      if (edited) await launchJson.update('configurations', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
    }
  };
  test('restarting it starts a fresh inspection: the old program\'s tasks are gone', restarts(false)).timeout(120_000);
  test('restarting it after launch.json was edited: the new inspection replaces the old one', restarts(true)).timeout(120_000);
});
