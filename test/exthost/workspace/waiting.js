// Extension-host suite fixture: a task that waits a minute, so the suite can save and stop a running session.
const { setTimeout: sleep } = require('node:timers/promises');

async function waitForApproval() {
  await sleep(60_000);
  return 'approved';
}

async function main() {
  console.log('waiting for approval');
  console.log(await waitForApproval());
}

main();
