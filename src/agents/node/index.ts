/**
 * Async Inspector's Node.js agent, preloaded into the program with `--require` (NODE_OPTIONS), for
 * CommonJS and ESM programs alike. Without the launcher's environment it does nothing at all. Node runs
 * the preload in every worker thread too: a worker that sees the launcher's environment (the default: a
 * copy of its parent's) is traced as its own connection (thread.ts); one created with `env: {}` is not,
 * nor is the agent's own writer thread (started with `env: {}`). Child processes load their own copy.
 */
import { readSettings } from './config';
import { agentError, sayOnce } from './guard';
import { startAgent } from './agent';
import { handedSettings } from './thread';

export { adoptPending } from './attach';

try {
  const settings = readSettings(process.env) ?? handedSettings();
  if (settings) startAgent(settings);
} catch (err) {
  // No channel to report on (or only half a start): the one place left is the program's stderr, once.
  agentError('agent start', err);
  sayOnce(`the agent did not start (${err instanceof Error ? err.message : String(err)}); running untraced`);
}
