// 1,000,000 awaited async calls (2M promises). Prints the measured section's wall time in ms.
async function f(i) { return i; }
async function main() {
  const start = performance.now();
  let sum = 0;
  for (let i = 0; i < 1_000_000; i++) sum += await f(i);
  console.log(JSON.stringify({ ms: performance.now() - start, sum }));
}
main();
