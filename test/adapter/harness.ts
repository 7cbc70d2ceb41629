/**
 * Runs dist/adapter.js under DebugClient (the real debug protocol over stdio) and records what it sends.
 * ASYNC_INSPECTOR_DIST points at another built dist/ folder (default: the repo's, built by `npm run build`).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after } from 'node:test';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { EndedBody } from '../../src/adapter/custom-events';
import type { ModelDelta, SessionInfo } from '../../src/model/types';

export const root = resolve(__dirname, '../..');
export const fixture = (name: string): string => join(__dirname, 'fixtures', name);
export const distDir = resolve(process.env.ASYNC_INSPECTOR_DIST ?? join(root, 'dist'));

/** Everything the adapter sent, in arrival order. */
export interface Recording {
  sessions: SessionInfo[];
  deltas: { at: number; delta: ModelDelta }[];
  ended: EndedBody[];
  output: DebugProtocol.OutputEvent['body'][];
  exited: number[];
  /** Names of all the events above, in order. */
  order: string[];
  terminated: Promise<void>;
}

export async function startAdapter(): Promise<DebugClient> {
  const adapter = join(distDir, 'adapter.js');
  assert.ok(existsSync(adapter), `${adapter} is missing: run \`npm run build\` first`);
  const dc = new DebugClient('node', adapter, 'async-inspector', undefined, true);
  dc.defaultTimeout = 15_000;
  await dc.start();
  return dc;
}

/** For a test file: a function starting adapters, all stopped after the file's tests. */
export function adapterPool(): () => Promise<DebugClient> {
  const clients: DebugClient[] = [];
  after(() => Promise.all(clients.map((dc) => dc.stop())));
  return async () => {
    const dc = await startAdapter();
    clients.push(dc);
    return dc;
  };
}

export function record(dc: DebugClient): Recording {
  const rec: Omit<Recording, 'terminated'> = { sessions: [], deltas: [], ended: [], output: [], exited: [], order: [] };
  const on = <T>(name: string, push: (body: T) => void) =>
    dc.on(name, (e: DebugProtocol.Event) => {
      rec.order.push(name);
      push(e.body as T);
    });
  on<SessionInfo>('asyncInspector/session', (b) => rec.sessions.push(b));
  on<ModelDelta>('asyncInspector/delta', (b) => rec.deltas.push({ at: performance.now(), delta: b }));
  on<EndedBody>('asyncInspector/ended', (b) => rec.ended.push(b));
  on<DebugProtocol.OutputEvent['body']>('output', (b) => rec.output.push(b));
  on<DebugProtocol.ExitedEvent['body']>('exited', (b) => rec.exited.push(b.exitCode));
  const terminated = new Promise<void>((ok) => dc.once('terminated', () => { rec.order.push('terminated'); ok(); }));
  return { ...rec, terminated };
}

/** initialize → launch → configurationDone, as VS Code does; returns the recording. */
export async function launch(dc: DebugClient, args: Record<string, unknown>): Promise<Recording> {
  const rec = record(dc);
  await dc.initializeRequest();
  await Promise.all([dc.launchRequest(args as DebugProtocol.LaunchRequestArguments), dc.configurationDoneRequest()]);
  return rec;
}

export function text(rec: Recording, category: string): string {
  return rec.output.filter((o) => o.category === category).map((o) => o.output).join('');
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
