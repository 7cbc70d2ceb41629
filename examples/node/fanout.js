// Fan-out: the same three "downloads" awaited one after another, then all at once with Promise.all.
// In the task tree the sequential run shows its fetches finishing one by one (~300 ms in all);
// Promise.all overlaps them (~100 ms). It also makes a real HTTP request to a local server,
// and ends with an await that can never settle (flagged as pending-at-exit).
const http = require('node:http');

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function fetchItem(name, ms) {
  await sleep(ms);
  return `${name} (${ms} ms)`;
}

async function sequential() {
  const a = await fetchItem('a', 100);
  const b = await fetchItem('b', 100);
  const c = await fetchItem('c', 100);
  return [a, b, c];
}

async function concurrent() {
  return Promise.all([fetchItem('a', 100), fetchItem('b', 100), fetchItem('c', 100)]);
}

async function timed(label, fn) {
  const start = Date.now();
  const result = await fn();
  console.log(`${label}: ${result.join(', ')} in ${Date.now() - start} ms`);
}

function get(url) {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

async function httpRoundTrip() {
  const server = http.createServer((req, res) => res.end(`hello from ${req.url}`));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const body = await get(`http://127.0.0.1:${server.address().port}/items`);
  console.log(`http: ${body}`);
  server.close();
}

async function waitForever() {
  // Nothing will ever resolve this: when the program runs out of work, Node exits with it pending.
  await new Promise(() => {});
}

async function main() {
  await timed('sequential', sequential);
  await timed('Promise.all', concurrent);
  await httpRoundTrip();
  await waitForever();
  console.log('never printed');
}

main();
