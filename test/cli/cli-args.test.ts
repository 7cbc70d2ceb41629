import { test } from 'node:test';
import { existsSync } from 'node:fs';
import assert from 'node:assert/strict';
import { fixture, runCli, tempFile } from './helpers';

// None of these needs an agent: bad input is refused before anything runs.
const cases: Array<[string, string[], RegExp]> = [
  ['unknown option', ['run', '--jsn', 'x', '--', 'node', 'a.js'], /unknown option --jsn/],
  ['unknown command', ['start', '--', 'node', 'a.js'], /unknown command "start"/],
  ['missing command', ['run', '--json', 'r.json'], /missing the program to run/],
  ['missing command after --', ['run', '--'], /missing the program to run/],
  ['option without value', ['run', '--timeout'], /--timeout needs a value/],
  ['timeout not a number', ['run', '--timeout', 'soon', '--', 'node', 'a.js'], /--timeout needs a number of seconds, got "soon"/],
  ['negative timeout', ['run', '--timeout=-5', '--', 'node', 'a.js'], /--timeout must be between/],
  ['absurd timeout', ['run', '--timeout', '1e12', '--', 'node', 'a.js'], /--timeout must be between/],
  ['zero block threshold', ['run', '--block-threshold', '0', '--', 'node', 'a.js'], /--block-threshold must be between 1 and 600000 ms/],
  ['malformed flag kind', ['run', '--fail-on', 'Never Awaited', '--', 'node', 'a.js'], /--fail-on: "Never Awaited" is not a flag kind \(known: never-awaited, /],
  ['missing program file', ['run', '--', 'node', 'does-not-exist.js'], /program not found: .*does-not-exist\.js/],
  ['runtime not found', ['run', '--', '/nowhere/python3', 'a.py'], /runtime not found: \/nowhere\/python3/],
  ['unrecognised runtime', ['run', '--', 'ruby', 'a.rb'], /cannot tell whether ruby runs Node\.js or Python/],
  ['report folder missing', ['run', '--json', '/nonexistent-dir/r.json', '--', 'node', 'a.js'], /--json: folder not found: \/nonexistent-dir/],
];

for (const [name, args, message] of cases) {
  test(`bad input: ${name} → one clear line, exit 2`, async () => {
    const r = await runCli(args);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, message);
    assert.match(r.stderr, /^async-inspector: /);
    assert.doesNotMatch(r.stderr, /\n\s+at .*\(.*:\d+:\d+\)/, 'no stack trace');
    assert.equal(r.stdout, '');
  });
}

test('--help and --version print to stdout and exit 0; no arguments is a usage error', async () => {
  const help = await runCli(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage: async-inspector run \[options\] -- COMMAND/);
  for (const opt of ['--json FILE', '--trace FILE', '--timeout SECONDS', '--block-threshold MS', '--no-children', '--fail-on KINDS']) {
    assert.ok(help.stdout.includes(opt), opt);
  }
  const runHelp = await runCli(['run', '--help']);
  assert.equal(runHelp.code, 0);
  const version = await runCli(['--version']);
  assert.equal(version.code, 0);
  assert.match(version.stdout, /^async-inspector \d+\.\d+\.\d+\n$/);
  const none = await runCli([]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /Usage:/);
});

test('an unfamiliar flag kind is a warning (agents may add kinds), not an error', async () => {
  const r = await runCli(['run', '--fail-on', 'never-awaitd', '--', 'node', fixture('exit-code.js')]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^async-inspector: warning: --fail-on: "never-awaitd" is not one of the usual flag kinds/);
});

test('no report file is written when the input is refused', async () => {
  const json = tempFile('r.json');
  const r = await runCli(['run', '--json', json, '--timeout', 'x', '--', 'node', 'a.js']);
  assert.equal(r.code, 2);
  assert.equal(existsSync(json), false);
});
