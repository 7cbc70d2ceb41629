/**
 * Records a real session for the webview tests: runs test/webview/fixtures/shop.js with the real Node
 * agent, launcher and model, takes a delta every 50 ms as the adapter does, and writes the messages the
 * extension would post to the view (reset, deltas, ended) to fixtures/shop.session.json.
 * Rerun after a protocol or model change:  npx tsx test/webview/record-session.ts
 */
import * as esbuild from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launch } from '../../src/inspection/launch';
import { InspectorModel } from '../../src/model/model';
import type { SessionMessage } from '../../src/shared/messages';

const ROOT = resolve(__dirname, '../..');
const FIXTURE = join(__dirname, 'fixtures/shop.js');
const OUT = join(__dirname, 'fixtures/shop.session.json');

async function main(): Promise<void> {
  const dist = mkdtempSync(join(tmpdir(), 'ai-record-'));
  const agent = { absWorkingDir: ROOT, platform: 'node', target: 'node18', format: 'cjs', bundle: true, logLevel: 'warning' } as const;
  await esbuild.build({ ...agent, entryPoints: ['src/agents/node/index.ts'], outfile: join(dist, 'agent-node.js') });
  await esbuild.build({ ...agent, entryPoints: ['src/agents/node/writer-thread.ts'], outfile: join(dist, 'agent-node-writer.js') });

  const model = new InspectorModel({ maxFinishedTasks: 5000 });
  const messages: SessionMessage[] = [];
  const take = (): void => {
    const d = model.takeDelta();
    if (d) messages.push({ type: 'delta', delta: d });
  };
  const timer = setInterval(take, 50);
  const ended = new Promise<{ code: number | null; signal: string | null }>((done) => {
    void launch({ command: ['node', FIXTURE], cwd: ROOT, distDir: dist }, {
      message: (conn, msg) => {
        model.apply(conn, msg);
        if (msg.type === 'hello' && messages.length === 0) {
          messages.push({ type: 'reset', session: { runtime: msg.runtime, command: ['node', FIXTURE], pid: msg.pid, startEpochMs: msg.startEpochMs } });
        }
      },
      stdout: (t) => process.stdout.write(t),
      stderr: (t) => process.stderr.write(t),
      warning: (t) => console.warn(t),
      exit: (code, signal) => done({ code, signal }),
    });
  });
  const exit = await ended;
  clearInterval(timer);
  model.finish({ code: exit.code, signal: exit.signal });
  take();
  messages.push({ type: 'ended', exitCode: exit.code, signal: exit.signal });
  rmSync(dist, { recursive: true, force: true });
  // Paths inside the repository are stored relative to it, so the recording does not name this machine.
  const json = JSON.stringify(messages, null, 1).split(ROOT).join('<root>');
  writeFileSync(OUT, `${json}\n`);
  console.log(`recorded ${messages.length} messages (${messages.filter((m) => m.type === 'delta').length} deltas) to ${OUT}`);
}

void main();
