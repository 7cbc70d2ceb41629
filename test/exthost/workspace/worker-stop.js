// Extension-host suite fixture (test/exthost/suite/followedRuns.ts): a worker thread stops on `debugger;` inside
// its `checkout` while three other tasks of that worker are pending; the main thread just waits.
const { Worker, isMainThread } = require('node:worker_threads');

if (isMainThread) {
  new Worker(__filename, { name: 'checkout worker' });
} else {
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  async function fetchUser() { await sleep(60_000); }
  async function loadCart() { await sleep(60_000); }
  async function checkout() {
    await sleep(500);
    debugger; // stop: checkout
  }
  void Promise.all([fetchUser(), loadCart(), checkout()]);
}
