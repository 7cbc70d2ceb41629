// The debugger e2e's program: a breakpoint in `checkout` (on the marked line) while three other tasks are
// pending on their own await lines.
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function fetchUser() {
  await sleep(400);
}

async function loadCart() {
  await sleep(500);
}

async function sendMail() {
  await sleep(600);
}

async function checkout() {
  await sleep(100);
  const total = 42;
  console.log(`charging ${total}`); // breakpoint
  return total;
}

async function main() {
  const pending = [fetchUser(), loadCart(), sendMail()];
  await checkout();
  await Promise.all(pending);
  console.log('all done');
}

main();
