// Extension-host suite fixture: one floating promise at the marked line (test/exthost/suite/session.ts).
const { setTimeout: sleep } = require('node:timers/promises');

async function saveAudit(entry) {
  await sleep(5);
  return entry.length;
}

async function main() {
  saveAudit('login'); // expect: never-awaited
  await sleep(30);
  console.log('flagged.js done');
}

main();
