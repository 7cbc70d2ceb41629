/** HelloWatch: a session whose debuggee never said hello says so once, HELLO_GRACE_MS after the debuggee's first DAP event. */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { HelloWatch } from '../../src/inspection/hello-watch';
import { HELLO_GRACE_MS } from '../../src/inspection/inject-python';

const AFTER_GRACE = HELLO_GRACE_MS + 300;

function watch(): { w: HelloWatch; said: () => number } {
  let n = 0;
  return { w: new HelloWatch(() => n++), said: () => n };
}

test('no hello by the grace after the first debuggee event: said once', async () => {
  const { w, said } = watch();
  w.event('output'); // the adapter's own events do not start the clock
  await sleep(AFTER_GRACE);
  assert.equal(said(), 0, 'no debuggee event yet: nothing to tell');
  w.event('initialized');
  w.event('process', 42);
  w.event('stopped');
  await sleep(AFTER_GRACE);
  assert.equal(said(), 1);
  w.event('thread');
  await sleep(AFTER_GRACE);
  assert.equal(said(), 1, 'once per session');
});

test('the debuggee said hello (or a pid-less hello): nothing said', async () => {
  const a = watch();
  a.w.event('process', 42);
  a.w.hello(42);
  const b = watch();
  b.w.event('initialized');
  b.w.hello(undefined);
  await sleep(AFTER_GRACE);
  assert.equal(a.said() + b.said(), 0);
});

test('a hello only from a child of the debuggee: the debuggee has no agent', async () => {
  const { w, said } = watch();
  w.event('process', 42);
  w.hello(43);
  await sleep(AFTER_GRACE);
  assert.equal(said(), 1);
});

test('the configuration already warned, or the session ended: nothing more is said', async () => {
  const { w, said } = watch();
  w.stop();
  w.event('initialized');
  const late = watch();
  late.w.event('initialized');
  late.w.stop();
  await sleep(AFTER_GRACE);
  assert.equal(said() + late.said(), 0);
});
