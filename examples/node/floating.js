// Two classic mistakes: a promise nobody awaits (a "floating" promise: its failure would go unnoticed)
// and a rejection nobody handles.
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const store = {
  async save(item) {
    await sleep(5000); // still saving when the unhandled rejection ends the program (even a slow end)
    return `saved ${item}`;
  },
};

async function loadConfig() {
  await sleep(10);
  throw new Error('config file is missing');
}

async function handleRequest(item) {
  store.save(item); // missing await: the caller moves on before the save finished
  return 'ok';
}

async function main() {
  console.log(await handleRequest('order-1'));
  loadConfig(); // rejected, and nothing ever catches it
  await sleep(50);
}

main();
