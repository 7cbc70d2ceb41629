// CPU time of the calling thread (the program's main thread) in ms, from /proc on Linux (10 ms ticks);
// NaN elsewhere. Under a loaded machine this is steadier than wall time: other processes' and threads'
// share of the cores does not count.
const { readFileSync } = require('node:fs');
module.exports = function mainThreadCpuMs() {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
};
