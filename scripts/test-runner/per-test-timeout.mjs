// Preloaded (`--import`, with `--expose-internals`) into every node:test file by scripts/test.mjs on Node < 22:
// gives each test and hook that has no `timeout` of its own (and no parent with one) a default one
// (ASYNC_INSPECTOR_TEST_TIMEOUT_MS), so a hung test fails under its own name and the file goes on with the next.
// Node 22+ does this itself with `--test-timeout`; on Node 20, under `--test`, that flag is one budget for a whole
// file (its process is killed, and the tests after the hung one are neither run nor named). Wrapping the exported
// `test`/`it` instead would make every test's reported location the wrapper's, so the default goes in where the
// test runner creates a test. A `describe` gets none (its timeout would be one budget for all its tests).
import { createRequire } from 'node:module';

const ms = Number(process.env.ASYNC_INSPECTOR_TEST_TIMEOUT_MS);
let internals;
try {
  internals = createRequire(import.meta.url)('internal/test_runner/test');
} catch {
  // started without --expose-internals: leave the runner as it is
}
if (ms > 0 && internals?.Test?.prototype.createSubtest && internals.Suite) {
  const { Test, Suite } = internals;
  const hasTimeout = (options) => options !== null && typeof options === 'object' && options.timeout !== undefined;

  const createSubtest = Test.prototype.createSubtest;
  Test.prototype.createSubtest = function (Factory, name, options, fn, overrides) {
    // the same argument shapes as the original: ([name], [options], [fn])
    const opts = name !== null && typeof name === 'object' ? name : options;
    const isSuite = Factory === Suite || Factory.prototype instanceof Suite;
    const inherits = Number.isFinite(this.timeout);
    if (!isSuite && !inherits && !hasTimeout(opts)) overrides = { __proto__: null, ...overrides, timeout: ms };
    return createSubtest.call(this, Factory, name, options, fn, overrides);
  };

  const createHook = Test.prototype.createHook;
  Test.prototype.createHook = function (hookName, fn, options) {
    return createHook.call(this, hookName, fn, hasTimeout(options) ? options : { __proto__: null, ...options, timeout: ms });
  };
}
