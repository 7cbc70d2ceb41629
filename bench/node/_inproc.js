// app-server's node:http handler, driven in-process by 50 raw keep-alive sockets (one request in flight each).
const http = require('node:http'); const net = require('node:net'); const fs = require('node:fs');
const { setImmediate: immediate } = require('node:timers/promises');
async function loadUser(id) { await null; return { id, name: 'user' + id }; }
async function permissions(user) { await immediate(); return user.id % 2 === 0 ? ['read'] : ['read', 'write']; }
async function handle(id) { const user = await loadUser(id); const perms = await permissions(user); return JSON.stringify({ user, perms }); }
const mode = process.argv[3] ?? 'async';
const server = http.createServer(mode === 'sync' ? (req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{}'); } : async (req, res) => {
  const body = await handle(7);
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(body);
});
const N = Number(process.argv[2] ?? 100000);
const th = () => Object.fromEntries(fs.readdirSync('/proc/self/task').map((t) => { const st = fs.readFileSync(`/proc/self/task/${t}/stat`, 'utf8'); const f = st.slice(st.lastIndexOf(')') + 2).split(' '); return [t, (+f[11] + +f[12]) * 10]; }));
server.listen(0, '127.0.0.1', async () => {
  const port = server.address().port;
  const REQ = 'GET /alice HTTP/1.1\r\nHost: x\r\n\r\n';
  const load = (total) => new Promise((done) => {
    let sent = 0, got = 0;
    for (let c = 0; c < 50; c++) {
      const s = net.connect(port, '127.0.0.1');
      s.setEncoding('latin1');
      s.on('data', (d) => {
        let i = -1; while ((i = d.indexOf('HTTP/1.1 ', i + 1)) !== -1) {
          if (++got === total) { done(); }
          if (sent < total) { sent++; s.write(REQ); } else s.end();
        }
      });
      sent++; s.write(REQ);
    }
  });
  await load(10000);
  const t0 = th(); const c0 = process.cpuUsage(); const w0 = performance.now();
  await load(N);
  const c = process.cpuUsage(c0); const t1 = th();
  console.log(JSON.stringify({ usPerReq: +((c.user + c.system) / N).toFixed(2), rps: Math.round(N * 1000 / (performance.now() - w0)), threads: Object.keys(t1).map((k) => ((t1[k] - (t0[k] ?? 0)) * 1000 / N).toFixed(2)).join(' ') }));
  server.close(); server.closeAllConnections?.();
});
