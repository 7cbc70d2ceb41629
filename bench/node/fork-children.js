// Forks N children one after another (each does one timer turn and exits) and prints the mean time from
// fork() to the child's exit, in ms: what one child process costs the program that starts it.
const { fork } = require('node:child_process');

if (process.argv[2] === 'child') {
  setTimeout(() => process.exit(0), 1);
} else {
  const n = Number(process.argv[2]) || 20;
  (async () => {
    const times = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      await new Promise((resolve) => fork(__filename, ['child']).once('exit', resolve));
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    console.log(`CHILD_MS ${JSON.stringify({ mean: times.reduce((a, b) => a + b, 0) / n, median: times[n >> 1] })}`);
  })();
}
