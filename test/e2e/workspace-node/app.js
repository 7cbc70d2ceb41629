// e2e fixture: async functions that finish, one pending ~5 s, a timer,
// and a blocking call (test/e2e/panel.test.ts looks for them).
const { setTimeout: sleep } = require('node:timers/promises');

async function loadConfig() {
  await sleep(50);
  return { retries: 2 };
}

async function fetchUser(id) {
  await sleep(100 + id * 20);
  return { id, name: `user${id}` };
}

async function waitForApproval() {
  await sleep(5000);
  return 'approved';
}

// Synchronous work on the event loop for 250 ms: flagged as a blocking call.
function buildReport(users) {
  const until = Date.now() + 250;
  let spins = 0;
  while (Date.now() < until) spins += users.length;
  return spins;
}

async function main() {
  const config = await loadConfig();
  const users = await Promise.all([fetchUser(1), fetchUser(2), fetchUser(3)]);
  setTimeout(() => console.log('heartbeat', buildReport(users) > 0), 300);
  const approval = await waitForApproval();
  console.log(`config ${config.retries}, ${users.length} users, ${approval}`);
}

main();
