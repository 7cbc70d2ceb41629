// A small application server for bench/node/autocannon-ab.mjs: node:http, express or fastify (argv[2]); the
// handler awaits two small async functions and a setImmediate promise, as real handlers do. Prints
// {"port","pid"} once listening and {"cpuMs"} (process CPU) when it gets SIGTERM... or SIGINT.
const { setImmediate: immediate } = require('node:timers/promises');

async function loadUser(id) {
  await null;
  return { id, name: 'user' + id };
}
async function permissions(user) {
  await immediate();
  return user.id % 2 === 0 ? ['read'] : ['read', 'write'];
}
async function handle(id) {
  const user = await loadUser(id);
  const perms = await permissions(user);
  return JSON.stringify({ user, perms });
}

const kind = process.argv[2] ?? 'http';
const started = process.cpuUsage();
const listening = (port) => console.log(JSON.stringify({ port, pid: process.pid }));
let close;
if (kind === 'express') {
  const app = require('express')();
  app.get('/:name', async (req, res) => res.type('json').send(await handle(7)));
  const server = app.listen(0, '127.0.0.1', () => listening(server.address().port));
  close = (done) => server.close(done);
} else if (kind === 'fastify') {
  const app = require('fastify')();
  app.get('/:name', async (req, reply) => reply.type('application/json').send(await handle(7)));
  app.listen({ port: 0, host: '127.0.0.1' }).then(() => listening(app.server.address().port));
  close = (done) => app.close().then(done);
} else {
  const server = require('node:http').createServer(async (req, res) => {
    const body = await handle(7);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  });
  server.listen(0, '127.0.0.1', () => listening(server.address().port));
  close = (done) => server.close(done);
}
process.on('SIGTERM', () => {
  const u = process.cpuUsage(started);
  console.log(JSON.stringify({ cpuMs: Math.round((u.user + u.system) / 1000) }));
  close(() => process.exit(0));
});
