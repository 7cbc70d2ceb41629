/**
 * Async Inspector's Node.js agent, preloaded into the program with `--require` (NODE_OPTIONS), for
 * CommonJS and ESM programs alike. Without the launcher's environment it does nothing at all; it only
 * traces the main thread of the process that loaded it (worker threads and the agent's own writer
 * thread are left alone; child processes load their own copy through NODE_OPTIONS).
 */
import { isMainThread } from 'node:worker_threads';
import { readSettings } from './config';
import { agentError } from './guard';
import { startAgent } from './agent';

try {
  const settings = readSettings(process.env);
  if (settings && isMainThread) startAgent(settings);
} catch (err) {
  agentError('agent start', err);
}
