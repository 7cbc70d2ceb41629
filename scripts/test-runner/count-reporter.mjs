// A node:test reporter that prints nothing: it counts what ran and writes the counts as JSON to the file named by
// ASYNC_INSPECTOR_TEST_RESULTS, so scripts/test.mjs can tell a suite that ran no test (or a test file that holds
// none) from one that passed. Node reports a file without tests as one passing "test" named after the file.
// The file is rewritten after every result: with --test-force-exit the process may exit before the stream ends.
import { writeFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';

export default async function* countReporter(source) {
  const counts = { tests: 0, passed: 0, failed: 0, skipped: 0, emptyFiles: [], timedOut: [] };
  const save = () => process.env.ASYNC_INSPECTOR_TEST_RESULTS && writeFileSync(process.env.ASYNC_INSPECTOR_TEST_RESULTS, JSON.stringify(counts));
  save();
  for await (const { type, data } of source) {
    if (type !== 'test:pass' && type !== 'test:fail') continue;
    if (data.details?.type === 'suite') continue;
    if (data.nesting === 0 && isAbsolute(data.name) && data.name === data.file) {
      if (type === 'test:pass') {
        counts.emptyFiles.push(data.file);
        save();
        continue;
      }
    }
    if (data.skip || data.todo) counts.skipped++;
    else if (type === 'test:pass') counts.passed++;
    else {
      counts.failed++;
      if (data.details?.error?.failureType === 'testTimeoutFailure') counts.timedOut.push(`${data.name} (${data.file}:${data.line})`);
    }
    counts.tests = counts.passed + counts.failed;
    save();
  }
}
