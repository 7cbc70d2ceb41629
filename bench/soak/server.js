// Soak server (traced): node:http whose handler awaits two small async functions and a setImmediate promise,
// as issue #13's workload does. Prints {"port"} when listening; on SIGTERM prints {"served"} and exits 0.
const http = require('node:http');

let served = 0;
const immediate = () => new Promise((ok) => setImmediate(ok));
async function lookup(path) {
  await null;
  return path.length;
}
async function render(n) {
  await immediate();
  return `item ${n}\n`;
}
async function handle(req) {
  const n = await lookup(req.url);
  return render(n);
}
const server = http.createServer((req, res) => {
  handle(req).then((body) => {
    served++;
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
process.on('SIGTERM', () => {
  console.log(JSON.stringify({ served }));
  server.close();
  server.closeAllConnections();
});
