// Bench target for bench/attach/pause.sh (Node): N pending promises (TASKS, default 10000) parked on a gate,
// and a 1 ms ticker recording the longest gap between two ticks; SIGUSR2 prints it (ms) and resets it.
const N = Number(process.env.TASKS || 10000);
let release;
const gate = new Promise((r) => (release = r));
const parked = [];
for (let i = 0; i < N; i++) parked.push((async () => { await gate; })());
let worst = 0;
let last = performance.now();
setInterval(() => {
  const now = performance.now();
  worst = Math.max(worst, now - last);
  last = now;
}, 1);
process.on('SIGUSR2', () => {
  console.log(`MAXGAP ${worst.toFixed(1)}`);
  worst = 0;
});
console.log('READY');
module.exports = { release, parked };
