// A cluster primary with 2 workers: each worker serves for a while (a pending task), the second one blocks
// its loop once (a blocking call flagged in that worker's process) and exits with code 3.
const cluster = require('node:cluster');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function crunch() {
  const until = Date.now() + 400;
  let spins = 0;
  while (Date.now() < until) spins++;
  return spins;
}

async function serveRequests(worker) {
  await sleep(1500);
  if (worker === 2) crunch();
  await sleep(9000); // long enough to be seen running on a loaded machine
}

async function workerMain(worker) {
  await serveRequests(worker);
  process.exit(worker === 2 ? 3 : 0);
}

async function superviseWorkers() {
  const workers = [cluster.fork({ WORKER: '1' }), cluster.fork({ WORKER: '2' })];
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('exit', resolve))));
  await sleep(1500);
  console.log('workers exited');
}

if (cluster.isPrimary) superviseWorkers();
else workerMain(Number(process.env.WORKER));
