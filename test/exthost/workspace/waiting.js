// Extension-host suite fixture: a task that waits a minute, so the suite can save and stop a running session.
// It writes its pid to waiting.pid (the suite checks that Stop kills it).
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');

async function waitForApproval() {
  await sleep(60_000);
  return 'approved';
}

async function main() {
  writeFileSync(join(__dirname, 'waiting.pid'), String(process.pid));
  console.log(await waitForApproval());
}

main();
