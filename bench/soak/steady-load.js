// Steady loopback load (untraced): RATE requests/s over CONNECTIONS keep-alive connections against PORT,
// paced per 100 ms tick. Every WINDOW_MS prints {"done","errors","late"} for that window; runs until killed.
const http = require('node:http');

const [port, rate = '300', connections = '8', windowMs = '5000'] = process.argv.slice(2).map(Number);
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
let inFlight = 0;
let done = 0;
let errors = 0;
let late = 0; // requests not sent on time because all connections were busy
let n = 0;

function get() {
  inFlight++;
  http.get({ host: '127.0.0.1', port, path: `/item/${n++ % 1000}`, agent }, (res) => {
    res.resume();
    res.on('end', () => {
      inFlight--;
      done++;
    });
  }).on('error', () => {
    inFlight--;
    errors++;
  });
}

const perTick = rate / 10;
let owed = 0;
setInterval(() => {
  owed += perTick;
  while (owed >= 1) {
    owed--;
    if (inFlight >= connections * 4) late++;
    else get();
  }
}, 100);
setInterval(() => {
  console.log(JSON.stringify({ done, errors, late }));
  done = 0;
  errors = 0;
  late = 0;
}, windowMs);
