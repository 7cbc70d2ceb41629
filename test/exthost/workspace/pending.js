// Extension-host suite fixture: one task that waits a minute, named after the run (node pending.js <label>):
// alphaWaits / betaWaits / terminalWaits, and for "restart" firstRun, then secondRun on the next run (a
// counter file beside it), so the suite can tell a restarted program's tasks from the old one's.
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');

async function alphaWaits() { await sleep(60_000); }
async function betaWaits() { await sleep(60_000); }
async function terminalWaits() { await sleep(60_000); }
async function firstRun() { await sleep(60_000); }
async function secondRun() { await sleep(60_000); }

const label = process.argv[2] ?? 'alpha';
if (label === 'restart') {
  const counter = join(__dirname, 'pending-restart.count');
  const run = (existsSync(counter) ? Number(readFileSync(counter, 'utf8')) : 0) + 1;
  writeFileSync(counter, String(run));
  void (run === 1 ? firstRun() : secondRun());
} else {
  void ({ alpha: alphaWaits, beta: betaWaits, terminal: terminalWaits }[label] ?? alphaWaits)();
}
