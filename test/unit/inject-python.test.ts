/**
 * The debugpy configuration transform against the rules of Microsoft's Python Debugger extension resolver
 * (vscode-python-debugger resolvers/helper.ts + common/variables/environment.ts), ported in python-env.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { agentAbsent, agentAbsentMessage, agentBlockingFlags, HELLO_GRACE_MS, injectPythonAgent, resolvedByPythonDebugger, type LaunchConfig, type PythonHost } from '../../src/inspection/inject-python';
import { parseEnvFile, pythonDebugEnvironment } from '../../src/inspection/python-env';

const dist = '/opt/ext with space/dist';
const site = join(dist, 'python-site');
const inj = {
  variables: { ASYNC_INSPECTOR_CHANNEL: 'unix:/tmp/a.sock', ASYNC_INSPECTOR_TOKEN: 'tok', ASYNC_INSPECTOR_CONFIG: '{"flushMs":20}' },
  pythonDir: join(dist, 'python'),
  session: 'sess-1',
};
const files: Record<string, string> = {
  '/ws/.env': 'FROM_FILE=1\nPYTHONPATH=/ws/file-lib\nSHARED=file\n',
  '/ws/other.env': 'GREETING="hello\nworld"\nHOME_DIR=${HOME}/x\nREF=${FROM_FILE}-${GREETING}\n',
};
function host(extra: Partial<PythonHost> = {}): PythonHost {
  return {
    env: { HOME: '/root', PATH: '/usr/bin', PYTHONPATH: '/host/lib', HOST_ONLY: 'h' },
    platform: 'linux',
    readFile: (p) => files[p],
    ...extra,
  };
}
function launch(extra: Record<string, unknown> = {}): LaunchConfig {
  return { type: 'debugpy', request: 'launch', name: 'app', program: '/ws/app.py', ...extra };
}
function injected(config: LaunchConfig, h = host()): LaunchConfig {
  const r = injectPythonAgent(config, inj, h);
  assert.equal(r.kind, 'injected');
  return (r as { config: LaunchConfig }).config;
}
const envOf = (c: LaunchConfig) => c.env as Record<string, string>;

test('the agent dir comes first on PYTHONPATH, before the env file\'s, env\'s and the host\'s entries', () => {
  const c = injected(launch({ envFile: '/ws/.env', env: { PYTHONPATH: '/ws/env-lib', SHARED: 'env' } }));
  const env = envOf(c);
  assert.equal(env.PYTHONPATH, [site, '/ws/file-lib', '/ws/env-lib', '/host/lib'].join(':'));
  assert.equal(env.SHARED, 'env', 'env overrides the env file');
  assert.equal(env.FROM_FILE, '1');
  assert.equal(env.ASYNC_INSPECTOR_CHANNEL, 'unix:/tmp/a.sock');
  assert.equal(env.ASYNC_INSPECTOR_TOKEN, 'tok');
  assert.equal(env.ASYNC_INSPECTOR_SESSION, 'sess-1');
  assert.deepEqual(JSON.parse(env.ASYNC_INSPECTOR_CONFIG), { flushMs: 20 });
  assert.equal(env.PYTHONIOENCODING, 'UTF-8');
  assert.equal(env.PYTHONUNBUFFERED, '1');
  assert.equal(env.HOST_ONLY, undefined, 'a terminal console gets the host env from the terminal, not from env');
  assert.equal(c.envFile, '', 'merged here: the resolver must not merge the env file again before our dir');
  assert.equal(c.program, '/ws/app.py');
});

test('the python.envFile default applies when the configuration names none', () => {
  const env = envOf(injected(launch(), host({ defaultEnvFile: '/ws/.env' })));
  assert.equal(env.FROM_FILE, '1');
  assert.equal(env.PYTHONPATH, [site, '/ws/file-lib', '/host/lib'].join(':'));
});

test('internalConsole: the whole host environment, as the resolver gives it', () => {
  const env = envOf(injected(launch({ console: 'internalConsole', env: { A: 'b' } })));
  assert.equal(env.HOST_ONLY, 'h');
  assert.equal(env.PATH, '/usr/bin');
  assert.equal(env.PYTHONPATH, [site, '/host/lib'].join(':'));
  assert.equal(env.A, 'b');
});

test('user PYTHONIOENCODING / PYTHONUNBUFFERED are kept', () => {
  const env = envOf(injected(launch({ env: { PYTHONIOENCODING: 'latin-1', PYTHONUNBUFFERED: '' } })));
  assert.equal(env.PYTHONIOENCODING, 'latin-1');
  assert.equal(env.PYTHONUNBUFFERED, '');
});

test('env files: quotes over several lines, ${VAR} from the file then from env', () => {
  const vars = parseEnvFile(files['/ws/other.env'], { FROM_FILE: 'F', HOME: '/home/u' });
  assert.equal(vars.GREETING, 'hello\nworld');
  assert.equal(vars.HOME_DIR, '/home/u/x');
  assert.equal(vars.REF, 'F-hello\nworld');
  assert.deepEqual(parseEnvFile('# comment\nA = 1 \nB=\'x\\ny\'\nC=\\${A}\nbad line\n'), { A: '1', B: 'x\ny', C: '${A}' });
});

test('after the Python Debugger\'s resolver ran: only our entries are added, its env kept as is', () => {
  const resolved = launch({
    envFile: '/ws/.env', debugOptions: ['ShowReturnValue'], showReturnValue: true, stopOnEntry: false, python: '/venv/bin/python',
    env: { PYTHONPATH: '/ws/file-lib:/host/lib', PYTHONIOENCODING: 'UTF-8', PYTHONUNBUFFERED: '1', SHARED: 'env' },
  });
  assert.ok(resolvedByPythonDebugger(resolved));
  const c = injected(resolved);
  assert.equal(envOf(c).PYTHONPATH, [site, '/ws/file-lib', '/host/lib'].join(':'));
  assert.equal(envOf(c).FROM_FILE, undefined, 'the env file is not merged a second time');
  assert.equal(c.envFile, '/ws/.env');
  assert.equal(c.python, '/venv/bin/python');
});

test('when the Python Debugger\'s resolver runs after us, the program still gets its environment and our dir first', () => {
  const user = launch({ envFile: '/ws/.env', env: { PYTHONPATH: '/ws/env-lib', SHARED: 'env' } });
  const alone = pythonDebugEnvironment(user, host());
  const ours = injected(user);
  const after = pythonDebugEnvironment(ours, host()); // what its resolver then computes from our output
  assert.equal(after.PYTHONPATH!.split(':')[0], site);
  const dedup = [...new Set(after.PYTHONPATH!.split(':'))].join(':');
  assert.equal(dedup, [site, alone.PYTHONPATH].join(':'));
  for (const [k, v] of Object.entries(alone)) if (k !== 'PYTHONPATH') assert.equal(after[k], v, k);
});

test('injecting twice replaces the first injection', () => {
  const once = injected(launch({ env: { PYTHONPATH: '/a' } }));
  const twice = injectPythonAgent(once, { ...inj, session: 'sess-2' }, host());
  assert.equal(twice.kind, 'injected');
  const env = envOf((twice as { config: LaunchConfig }).config);
  assert.equal(env.PYTHONPATH.split(':').filter((p) => p === site).length, 1);
  assert.equal(env.ASYNC_INSPECTOR_SESSION, 'sess-2');
  const rules = (twice as { config: LaunchConfig }).config.rules as unknown[];
  assert.equal(rules.length, 1);
});

test('the debugger neither steps into nor stops in the agent; user rules are kept', () => {
  const c = injected(launch({ rules: [{ path: '/ws/vendor/**', include: false }] }));
  assert.deepEqual(c.rules, [{ path: '/ws/vendor/**', include: false }, { module: 'async_inspector', include: false }]);
});

test('attach configurations and other types are left alone, with a reason', () => {
  const attach = injectPythonAgent({ type: 'debugpy', request: 'attach', name: 'a', processId: 12 }, inj, host());
  assert.equal(attach.kind, 'skipped');
  assert.match((attach as { reason: string }).reason, /attach/);
  assert.equal(injectPythonAgent({ type: 'node', request: 'launch', name: 'n' }, inj, host()).kind, 'skipped');
  assert.equal(injectPythonAgent(launch({ type: 'python' }), inj, host()).kind, 'injected');
});

test('-I, -E, -S (also in clusters, in python or pythonArgs) get a warning; values of -W/-X/-c/-m do not', () => {
  assert.deepEqual(agentBlockingFlags(['-I']), ['-I']);
  assert.deepEqual(agentBlockingFlags(['-bE', '-X', 'dev', '-S']), ['-E', '-S']);
  assert.deepEqual(agentBlockingFlags(['-W', 'ignore', '-Xfrozen_modules=off', '-WE']), []);
  assert.deepEqual(agentBlockingFlags(['--check-hash-based-pycs', 'never', '-u']), []);
  const r = injectPythonAgent(launch({ python: ['/usr/bin/python3', '-I'] }), inj, host());
  assert.equal(r.kind, 'injected');
  assert.match((r as { warning?: string }).warning ?? '', /-I.*debugging is not affected/);
  const r2 = injectPythonAgent(launch({ pythonArgs: ['-S'] }), inj, host());
  assert.match((r2 as { warning?: string }).warning ?? '', /-S/);
  assert.equal((injectPythonAgent(launch({ pythonArgs: ['-u'] }), inj, host()) as { warning?: string }).warning, undefined);
});

test('Windows: Path and ";" as the resolver uses them', () => {
  const h = host({ platform: 'win32', env: { Path: 'C:\\Windows', PYTHONPATH: 'C:\\host' } });
  const env = envOf(injected(launch({ env: { Path: 'C:\\tools', PYTHONPATH: 'C:\\lib' } }), h));
  assert.equal(env.Path, 'C:\\tools;C:\\Windows');
  assert.equal(env.PYTHONPATH.split(';').slice(1).join(';'), 'C:\\lib;C:\\host');
});

test('the session learns the agent is absent from a debuggee event without a hello', () => {
  assert.equal(agentAbsent([], HELLO_GRACE_MS - 1), false, 'the hello may still be on its way');
  assert.equal(agentAbsent([], HELLO_GRACE_MS), true);
  assert.equal(agentAbsent([42], HELLO_GRACE_MS), false);
  assert.equal(agentAbsent([43], HELLO_GRACE_MS, 42), true, 'a child of the debuggee is not the debuggee');
  assert.equal(agentAbsent([43, 42], HELLO_GRACE_MS, 42), false);
  assert.match(agentAbsentMessage(), /no agent said hello.*debugging is not affected/);
  assert.match(agentAbsentMessage('-E'), /-E: Python then ignores PYTHONPATH/);
});
