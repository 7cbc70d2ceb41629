/** Which runtime a process runs, from its executable and command line (src/attach/target.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runtimeOf } from '../../src/attach/target';

test('the runtime comes from the executable, argv[0], or the arguments of the dynamic loader only', () => {
  assert.equal(runtimeOf('/usr/bin/node', ['node', 'app.js']), 'node');
  assert.equal(runtimeOf('/root/.pyenv/versions/3.11.7/bin/python3.11', ['python3', 'app.py']), 'python');
  assert.equal(runtimeOf('/usr/bin/python3.12d', ['python3.12d']), 'python');
  assert.equal(runtimeOf('', ['/home/u/venv/bin/python', 'app.py']), 'python', "another user's process: argv[0]");
  assert.equal(
    runtimeOf('/c/python-3.14.10/root/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2',
      ['/c/ld-linux-x86-64.so.2', '--library-path', '/c/lib', '--argv0', '/c/bin/python3.14', '/c/root/usr/bin/python3.14-real', 'app.py']),
    'python', 'a CPython run through its own glibc loader',
  );
  assert.equal(runtimeOf('/usr/bin/bash', ['bash', 'run.sh', 'python3']), undefined, 'an argument naming python is not enough');
  assert.equal(runtimeOf('/usr/bin/sleep', ['sleep', '30']), undefined);
  assert.equal(runtimeOf('/usr/bin/node', ['node', 'python.js']), 'node');
});
