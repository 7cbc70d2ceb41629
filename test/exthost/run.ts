/**
 * The extensionTestsPath module for hosts other than @vscode/test-cli (which brings its own runner and
 * reads the same options from .vscode-test.mjs): VS Code calls run() inside the extension host and exits
 * with its outcome. Runs the bundled suite (or the tests ASYNC_INSPECTOR_EXTHOST_GREP matches) with Mocha (spec output on the console), and, when
 * ASYNC_INSPECTOR_EXTHOST_RESULTS names a file, appends each test's result to it as it happens.
 * No test run is a failure (failZero).
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import options from './mocha.json';
import { RESULTS_ENV, type ResultLine } from './results';

export function run(): Promise<void> {
  // ASYNC_INSPECTOR_EXTHOST_GREP (a pattern of full test titles) runs only those, while working on them.
  const grep = process.env.ASYNC_INSPECTOR_EXTHOST_GREP;
  const mocha = new Mocha({ ...(options as Mocha.MochaOptions), reporter: 'spec', ...(grep ? { grep } : {}) });
  mocha.addFile(join(__dirname, 'suite.js'));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      if (runner.total === 0) reject(new Error('no extension-host test ran'));
      else if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
      else resolve();
    });
    const file = process.env[RESULTS_ENV];
    if (file) recordResults(runner, (line) => appendFileSync(file, `${JSON.stringify(line)}\n`));
  });
}

function recordResults(runner: Mocha.Runner, write: (line: ResultLine) => void): void {
  const { EVENT_TEST_BEGIN, EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_RUN_END } = Mocha.Runner.constants;
  runner.on(EVENT_TEST_BEGIN, (t: Mocha.Test) => write({ event: 'start', title: t.fullTitle() }));
  runner.on(EVENT_TEST_PASS, (t: Mocha.Test) => write({ event: 'pass', title: t.fullTitle(), ms: t.duration ?? 0 }));
  // Hooks fail through this event too ('"before all" hook for …').
  runner.on(EVENT_TEST_FAIL, (t: Mocha.Runnable, err: Error) =>
    write({ event: 'fail', title: t.fullTitle(), error: err?.stack ?? String(err) }));
  runner.on(EVENT_TEST_PENDING, (t: Mocha.Test) => write({ event: 'pending', title: t.fullTitle() }));
  runner.once(EVENT_RUN_END, () => {
    const s = runner.stats;
    write({ event: 'end', total: runner.total, passes: s?.passes ?? 0, failures: s?.failures ?? 0, pending: s?.pending ?? 0 });
  });
}
