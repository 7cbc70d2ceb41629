// A loopback HTTP server with an async handler; prints its port, and its main-thread CPU on GET /quit (then exits).
const http = require('node:http');
const cpu = require('./cpu');
async function handle(req) {
  await null;
  return `hello ${req.url}`;
}
const server = http.createServer((req, res) => {
  if (req.url === '/quit') {
    console.log(JSON.stringify({ cpuMs: cpu() }));
    res.end('bye');
    server.close();
    server.closeAllConnections?.();
    return;
  }
  handle(req).then((body) => res.end(body));
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
