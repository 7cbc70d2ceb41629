// Fixture for the real-VS-Code test: a few async functions that finish, one that stays
// pending about 5 seconds, and a timer. The test looks for these names in the panel.
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

async function main() {
  const config = await loadConfig();
  const users = await Promise.all([fetchUser(1), fetchUser(2), fetchUser(3)]);
  setTimeout(() => console.log('heartbeat'), 300);
  const approval = await waitForApproval();
  console.log(`config ${config.retries}, ${users.length} users, ${approval}`);
}

main();
