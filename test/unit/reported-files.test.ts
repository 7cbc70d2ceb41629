/** Jump-to-source opens only files the shown session's program reported (src/shared/reported-files.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isReportedFile } from '../../src/shared/reported-files';
import { SessionStore } from '../../src/shared/store';
import { delta, reset, task } from '../webview/sessions';

const at = (file: string, line = 1) => ({ file, line, function: 'f' });

describe('isReportedFile', () => {
  it('knows every location a held task or flag names, and nothing else', () => {
    const store = new SessionStore();
    store.apply(reset());
    store.apply({
      type: 'delta',
      delta: delta(1, [
        task('1', { created: at('/app/main.js') }),
        task('2', { created: null, awaitAt: at('/app/await.js'), stack: [at('/app/stack.js')] }),
        task('3', { state: 'failed', endedAt: 2, error: { type: 'E', message: 'm', stack: [at('/app/error.js')] } }),
      ], { flags: [{ id: 'f1', kind: 'blocking-call', message: 'x', location: at('/app/flag.js'), task: null, t: 1, stack: [at('/app/flagstack.js')] }] }),
    });
    for (const f of ['/app/main.js', '/app/await.js', '/app/stack.js', '/app/error.js', '/app/flag.js', '/app/flagstack.js']) {
      assert.equal(isReportedFile(store, f), true, f);
    }
    for (const f of ['/etc/passwd', '/app', '/app/main.js ', 'javascript:alert(1)', '']) assert.equal(isReportedFile(store, f), false, f);
  });

  it('forgets the files of a session once the view is reset', () => {
    const store = new SessionStore();
    store.apply(reset());
    store.apply({ type: 'delta', delta: delta(1, [task('1', { created: at('/app/main.js') })]) });
    store.apply(reset());
    assert.equal(isReportedFile(store, '/app/main.js'), false);
  });
});
