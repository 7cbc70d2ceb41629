// Bounded client loop (untraced): REQUESTS requests over CONCURRENCY keep-alive connections; prints req/s.
const http = require('node:http');
const [port, requests = '20000', concurrency = '16'] = process.argv.slice(2);
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(concurrency) });
const get = (path) => new Promise((ok, fail) => {
  http.get({ host: '127.0.0.1', port: Number(port), path, agent }, (res) => {
    res.resume();
    res.on('end', ok);
  }).on('error', fail);
});
async function worker(count) {
  for (let i = 0; i < count; i++) await get(`/item/${i}`);
}
async function main() {
  const total = Number(requests);
  const lanes = Number(concurrency);
  for (let i = 0; i < lanes; i++) await get('/warmup');
  const start = performance.now();
  await Promise.all(Array.from({ length: lanes }, () => worker(Math.floor(total / lanes))));
  const ms = performance.now() - start;
  await get('/quit').catch(() => undefined);
  agent.destroy();
  console.log(JSON.stringify({ rps: (Math.floor(total / lanes) * lanes * 1000) / ms }));
}
main();
