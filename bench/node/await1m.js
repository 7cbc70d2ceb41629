// 1,000,000 awaited async calls (2M promises). Prints the measured section's wall time and main-thread CPU in ms.
const cpu = require('./cpu');

async function f(i) { return i; }
async function main() {
  const cpu0 = cpu();
  const start = performance.now();
  let sum = 0;
  for (let i = 0; i < 1_000_000; i++) sum += await f(i);
  console.log(JSON.stringify({ ms: performance.now() - start, cpuMs: cpu() - cpu0, sum }));
}
main();
