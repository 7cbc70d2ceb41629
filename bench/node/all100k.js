// Promise.all over 100,000 async calls that each await once. Prints the measured section's wall time and main-thread CPU in ms.
const cpu = require('./cpu');

async function g(i) { await null; return i; }
async function main() {
  const cpu0 = cpu();
  const start = performance.now();
  const calls = [];
  for (let i = 0; i < 100_000; i++) calls.push(g(i));
  const results = await Promise.all(calls);
  console.log(JSON.stringify({ ms: performance.now() - start, cpuMs: cpu() - cpu0, n: results.length }));
}
main();
