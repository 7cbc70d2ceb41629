/** Console scripts run by name (`uvicorn app:app`): the interpreter their `#!` line names, in pip's three forms. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pythonShebang, viaScriptInterpreter } from '../../src/inspection/console-script';
import { injectAgent } from '../../src/inspection/runtime';

test('the #! forms pip writes name the interpreter; others are not Python', () => {
  assert.deepEqual(pythonShebang('#!/venv/bin/python3.11\n# -*- coding: utf-8 -*-\n'), ['/venv/bin/python3.11']);
  assert.deepEqual(pythonShebang('#!/usr/bin/env python3\nimport re\n'), ['python3']);
  assert.deepEqual(pythonShebang('#!/usr/bin/env -S python3 -X dev\n'), ['python3', '-X', 'dev']);
  assert.deepEqual(pythonShebang('#!/usr/bin/python3 -u\n'), ['/usr/bin/python3', '-u']);
  assert.deepEqual(pythonShebang(`#!/bin/sh\n'''exec' "/long path/venv/bin/python" "$0" "$@"\n' '''\n`), ['/long path/venv/bin/python']);
  assert.deepEqual(pythonShebang(`#!/bin/sh\n'''exec' /v/bin/python3 "$0" "$@"\n' '''\n`), ['/v/bin/python3']);
  assert.equal(pythonShebang('#!/usr/bin/env node\n'), undefined);
  assert.equal(pythonShebang('#!/bin/sh\necho hi\n'), undefined);
  assert.equal(pythonShebang('\x7fELF\x02\x01'), undefined);
  assert.equal(pythonShebang(''), undefined);
});

test('a console script on PATH runs as its interpreter would run it, with the agent before the script', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ai-script-'));
  const script = join(dir, 'uvicorn');
  writeFileSync(script, '#!/venv/bin/python\nimport sys\n');
  chmodSync(script, 0o755);
  const env = { PATH: dir };
  const command = viaScriptInterpreter(['uvicorn', 'app:app', '--workers', '2'], env, '/');
  assert.deepEqual(command, ['/venv/bin/python', script, 'app:app', '--workers', '2']);
  const agent = { variables: {}, nodeAgent: '/d/agent-node.js', pythonDir: '/d/python' };
  assert.deepEqual(injectAgent(command!, 'python', env, agent).argv,
    ['/venv/bin/python', '-m', 'async_inspector', script, 'app:app', '--workers', '2']);
  writeFileSync(join(dir, 'tool'), '#!/bin/sh\nexit 0\n');
  chmodSync(join(dir, 'tool'), 0o755);
  assert.equal(viaScriptInterpreter(['tool'], env, '/'), undefined);
  assert.equal(viaScriptInterpreter(['missing'], env, '/'), undefined);
});
