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
  // Said as a verdict, not a count: the exact count varies from run to run.
  console.log(ticks < 80 ? 'the 10 ms ticker fell far behind (the loop was blocked)' : 'the 10 ms ticker kept up');
}, 1000);
