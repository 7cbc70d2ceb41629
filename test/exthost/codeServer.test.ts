/**
 * The extension-host suite (test/exthost/suite, bundled to out/exthost/ by scripts/build.mjs) run inside
 * code-server, where @vscode/test-electron cannot download VS Code: one code-server, one browser page,
 * the suite's run() in the real extension host. Each Mocha test is reported here by its full name, with
 * its error; a run that hangs is cut at the deadline naming the test that was running; a run with no
 * test is a failure. Tools come from scripts/ensure-vscode.sh (a visible SKIP without them, a failure under CI).
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { screenshot } from '../e2e/harness/screenshots';
import { debugpyEnv, testDebugpyVsix } from '../e2e/harness/testDebugpy';
import { findTools, skipReasonOrThrow } from '../e2e/harness/tools';
import { runInCodeServer } from './codeServerHost';
import { unfinished } from './results';

const root = join(__dirname, '..', '..');
const testsPath = join(root, 'out', 'exthost', 'run.js');
/** Start-up (~15 s) and the suite (~30 s idle, 120 s at a load average of 20) with room; a hung test is cut by Mocha first. */
const RUN_TIMEOUT_MS = 300_000;
const lookup = findTools();
const skip = skipReasonOrThrow(lookup);

/**
 * The test-only `debugpy` debugger (test/debugpy-extension) and an interpreter with debugpy from PyPI, for the
 * suite's real debugpy session; without them (debugpy not installable here) that test is reported pending.
 */
function debugpyExtension(): { extensions?: string[]; env?: Record<string, string> } {
  try {
    return { extensions: [testDebugpyVsix(root)], env: debugpyEnv(root) };
  } catch (err) {
    console.log(`[exthost] no test debugpy extension: ${err instanceof Error ? err.message : String(err)}`);
    return {};
  }
}

describe('extension-host suite in code-server', { skip }, () => {
  test('the suite passes in the extension host', { timeout: RUN_TIMEOUT_MS + 30_000 }, async (t) => {
    assert.ok(lookup.ok);
    assert.ok(existsSync(testsPath) && existsSync(join(root, 'dist', 'extension.js')),
      `${testsPath} or dist/extension.js missing: run node scripts/build.mjs first`);
    // VS Code may write into the folder it opens (settings the tests change): a copy, not the committed one.
    const workspace = mkdtempSync(join(tmpdir(), 'async-inspector-exthost-ws-'));
    cpSync(join(__dirname, 'workspace'), workspace, { recursive: true });
    const log: string[] = [];
    try {
      const run = await runInCodeServer({
        tools: lookup.tools, extensionPath: root, testsPath, workspace, timeoutMs: RUN_TIMEOUT_MS,
        ...debugpyExtension(),
        onLog: (line) => {
          log.push(line);
          process.stdout.write(`[exthost] ${line}\n`);
        },
        onFailure: (wb) => screenshot(wb, 'exthost-FAILED'),
      });
      const tail = () => `extension host log (last lines):\n${log.slice(-20).join('\n')}\ncode-server log:\n${run.serverLog}`;
      for (const r of run.results) {
        if (r.event === 'pass') await t.test(r.title, () => undefined);
        else if (r.event === 'pending') await t.test(r.title, { skip: 'pending in the suite' }, () => undefined);
        else if (r.event === 'fail') {
          await t.test(r.title, () => {
            throw new Error(r.error);
          });
        }
      }
      const hung = unfinished(run.results);
      if (run.exitCode === undefined) {
        assert.fail(`the suite did not finish within ${RUN_TIMEOUT_MS / 1000} s${hung ? `; still running: "${hung}"` : ''}\n${tail()}`);
      }
      const ran = run.results.filter((r) => r.event === 'pass' || r.event === 'fail').length;
      assert.ok(ran > 0, `no extension-host test ran (exit code ${run.exitCode})\n${tail()}`);
      assert.ok(run.results.some((r) => r.event === 'end'), `the suite stopped before its end (exit code ${run.exitCode})\n${tail()}`);
      assert.equal(run.exitCode, 0, `the extension host exited with ${run.exitCode}\n${tail()}`);
      console.log(`extension-host suite: ${ran} tests in ${run.secs.toFixed(1)} s (code-server start-up included)`);
    } finally {
      rmSync(workspace, { recursive: true, force: true });
    }
  });
});
