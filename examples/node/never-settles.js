// An await chain that can never finish: main → loadUser → waitForReply, whose promise is never resolved
// (the reply handler was never registered). Node exits when nothing is left to do, leaving the chain
// pending; the inspector flags it as pending-at-exit, pointing at the innermost await.
const { EventEmitter } = require('node:events');

const bus = new EventEmitter();

function waitForReply(id) {
  return new Promise((resolve) => {
    // Bug: the reply is emitted as 'reply', but we listen for 'response'.
    bus.once(`response:${id}`, resolve);
  });
}

async function loadUser(id) {
  setTimeout(() => bus.emit(`reply:${id}`, { id, name: 'Ada' }), 20);
  const user = await waitForReply(id);
  return user;
}

async function main() {
  const user = await loadUser(7);
  console.log('user', user);
}

main();
