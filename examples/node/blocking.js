// A timer callback that holds the event loop for ~600 ms with synchronous work: nothing else can run
// meanwhile (the 10 ms ticker below falls behind). Flagged as a blocking call at the busy line.
const crypto = require('node:crypto');

function hashPasswordSync(password) {
  return crypto.pbkdf2Sync(password, 'salt', 300_000, 32, 'sha256').toString('hex');
}

function busyWait(ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {} // CPU loop on the event loop thread
}

let ticks = 0;
const ticker = setInterval(() => ticks++, 10);

setTimeout(() => {
  busyWait(600); // long enough that the sample at the threshold lands here even on a loaded machine
  console.log('hash:', hashPasswordSync('hunter2').slice(0, 16));
}, 20);

setTimeout(() => {
  clearInterval(ticker);
  console.log(`ticker ran ${ticks} times in 1000 ms (about 100 without the blocking work)`);
}, 1000);
