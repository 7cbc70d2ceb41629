/**
 * The program's own async functions keep a record when the capture budget is spent (storm mode): when it
 * ran out just before they started (the debugger e2e under a js-debug child session), and when a dependency
 * made thousands of promises at start. Pending at exit, each is listed with its await line and flagged.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fixture, runTraced, type Trace } from './trace';

const AWAIT_LINES = { fetchUser: 7, loadCart: 11, sendMail: 15 } as const;

function assertListed(trace: Trace): void {
  assert.equal(trace.code, 0);
  const main = trace.one('main');
  const flags = trace.findings('pending-at-exit').map((f) => f.message);
  for (const [name, line] of Object.entries(AWAIT_LINES)) {
    const task = trace.one(name);
    assert.equal(task.endedAt, null, `${name} is pending at exit`);
    assert.equal(task.created?.line, 20, `${name} is created by main's line`);
    assert.equal(task.parent, main.id, `${name} was started by main`);
    assert.ok(task.seen.some((s) => s.awaitAt?.line === line), `${name} shown at its await line ${line}: ${JSON.stringify(task.seen)}`);
    assert.ok(flags.some((m) => m.includes(`${name} → new Promise`)), `${name} flagged pending-at-exit: ${flags.join(' | ')}`);
  }
}

describe('node agent: the program\'s async functions in a storm', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ai-storm-start-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('records them when the budget ran out just before they started', async () => {
    // One capture at start: main's promise takes it, the three tasks come in storm mode.
    assertListed(await runTraced(fixture('storm-start/pending-tasks.js'), { agentConfig: { stackCapturesPerSec: 1 } }));
  });

  it('records them after a dependency made thousands of promises at start', async () => {
    const lib = join(dir, 'node_modules', 'burner');
    mkdirSync(lib, { recursive: true });
    writeFileSync(join(lib, 'index.js'), [
      'async function step(i) { return i; }',
      'exports.warmUp = async function warmUp() {',
      '  let n = 0;',
      '  for (let i = 0; i < 3000; i++) n += await step(i);',
      '  return n;',
      '};',
    ].join('\n'));
    assertListed(await runTraced(fixture('storm-start/pending-tasks.js'), { env: { BURNER: lib } }));
  });
});
