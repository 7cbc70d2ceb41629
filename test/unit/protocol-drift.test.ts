/**
 * The Python agent's protocol.py mirrors src/protocol/events.ts by hand: this test dumps the Python table
 * with `python3 -c` and fails when the two sides differ (an event kind or a field added on one side only).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ENV, EVENT_FIELDS, PROTOCOL_VERSION } from '../../src/protocol/events';
import { encodeEvent } from '../../src/protocol/wire-events';
import { SAMPLES } from './wire-samples';

const agentDir = join(__dirname, '..', '..', 'src', 'agents', 'python');
const python = process.env.ASYNC_INSPECTOR_PYTHON ?? 'python3';

function pythonProtocol(): {
  version: number; fields: Record<string, string[]>; env: string[];
} {
  const script = [
    'import json, sys',
    `sys.path.insert(0, ${JSON.stringify(agentDir)})`,
    'from async_inspector import protocol as p',
    'print(json.dumps({"version": p.PROTOCOL_VERSION, "fields": p.EVENT_FIELDS,',
    '  "env": [p.ENV_CHANNEL, p.ENV_TOKEN, p.ENV_CONFIG, p.ENV_SESSION]}))',
  ].join('\n');
  return JSON.parse(execFileSync(python, ['-c', script], { encoding: 'utf8' }));
}

test('protocol.py carries the same event kinds and fields as events.ts', () => {
  const py = pythonProtocol();
  assert.deepEqual(py.fields, EVENT_FIELDS);
});

test('protocol.py has the same protocol version and env var names', () => {
  const py = pythonProtocol();
  assert.equal(py.version, PROTOCOL_VERSION);
  assert.deepEqual(py.env, [ENV.channel, ENV.token, ENV.config, ENV.session]);
});


test('protocol.py puts every event kind on the wire exactly as encodeEvent does', () => {
  const script = [
    'import json, sys',
    `sys.path.insert(0, ${JSON.stringify(agentDir)})`,
    'from async_inspector import protocol as p',
    'print(json.dumps([p.to_wire(ev) for ev in json.load(sys.stdin)]))',
  ].join('\n');
  const wire = JSON.parse(execFileSync(python, ['-c', script], { input: JSON.stringify(SAMPLES), encoding: 'utf8' }));
  assert.deepEqual(wire, SAMPLES.map(encodeEvent));
});
