// Worker-thread start-up and a pool's throughput, for workers-ab.mjs: prints one JSON line.
//   pool: 8 workers start together (pool8StartMs), then run 200 small async jobs (an fs read, a timer, a hash;
//   poolJobsMs, until every worker has exited); fresh: 30 workers started one after another, each running one
//   job and ending (startMs: the median start-up, new Worker → its first message).
const { createHash } = require('node:crypto');
const { readFile } = require('node:fs/promises');
const { once } = require('node:events');
const { Worker, isMainThread, parentPort } = require('node:worker_threads');

if (!isMainThread) {
  async function job(n) {
    const text = await readFile(__filename, 'utf8');
    await new Promise((resolve) => setTimeout(resolve, 1));
    return createHash('sha1').update(text + n).digest('hex').slice(0, 8);
  }
  parentPort.on('message', async (n) => {
    if (n === null) return parentPort.close();
    parentPort.postMessage(await job(n));
  });
  parentPort.postMessage('ready');
} else {
  async function startWorker() {
    const worker = new Worker(__filename);
    await once(worker, 'message');
    return worker;
  }

  async function pool(size, jobs) {
    const t0 = performance.now();
    const workers = await Promise.all(Array.from({ length: size }, startWorker));
    const startedMs = performance.now() - t0;
    let next = 0;
    await Promise.all(workers.map(async (worker) => {
      while (next < jobs) {
        worker.postMessage(next++);
        await once(worker, 'message');
      }
      worker.postMessage(null);
      await once(worker, 'exit');
    }));
    return { startedMs, jobsMs: performance.now() - t0 - startedMs };
  }

  async function fresh(count) {
    const starts = [];
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      const worker = await startWorker();
      starts.push(performance.now() - t0);
      worker.postMessage(i);
      await once(worker, 'message');
      worker.postMessage(null);
      await once(worker, 'exit');
    }
    starts.sort((a, b) => a - b);
    return starts[Math.floor(starts.length / 2)];
  }

  async function main() {
    const t0 = performance.now();
    const { startedMs, jobsMs } = await pool(8, 200);
    const poolMs = performance.now() - t0;
    const startMs = await fresh(30);
    const cpu = process.cpuUsage();
    console.log(JSON.stringify({ poolMs, pool8StartMs: startedMs, poolJobsMs: jobsMs, startMs, cpuMs: (cpu.user + cpu.system) / 1000 }));
  }
  main();
}
