/**
 * Finds the tools the real-VS-Code tests need (installed by scripts/ensure-vscode.sh, which writes
 * their paths to tools.json in its cache folder). Missing tools are a visible SKIP locally and a
 * failure under CI, so a green CI always means the real-VS-Code test ran.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface Tools {
  /** Node 24 binary code-server runs on. */
  node: string;
  /** code-server's out/node/entry.js. */
  codeServerEntry: string;
  /** Debian's chromium, driven by playwright-core. */
  chromium: string;
}

export type ToolsLookup = { ok: true; tools: Tools } | { ok: false; reason: string };

export function toolsJsonPath(): string {
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cache, 'async-inspector', 'tools.json');
}

export function findTools(): ToolsLookup {
  const file = toolsJsonPath();
  if (!existsSync(file)) return { ok: false, reason: `${file} not found (run scripts/ensure-vscode.sh)` };
  const tools = JSON.parse(readFileSync(file, 'utf8')) as Tools;
  for (const path of [tools.node, tools.codeServerEntry, tools.chromium]) {
    if (!path || !existsSync(path)) return { ok: false, reason: `${path} missing (run scripts/ensure-vscode.sh)` };
  }
  try {
    require.resolve('playwright-core');
  } catch {
    return { ok: false, reason: 'playwright-core is not installed (run npm ci)' };
  }
  return { ok: true, tools };
}

/** Under CI a missing tool fails the run; elsewhere the test is skipped with a message saying why. */
export function skipReasonOrThrow(lookup: ToolsLookup): string | undefined {
  if (lookup.ok) return undefined;
  const message = `real-VS-Code e2e: ${lookup.reason}`;
  if (runningInCi()) throw new Error(message);
  console.log(`SKIP ${message}`);
  return message;
}

function runningInCi(): boolean {
  const ci = process.env.CI;
  return !!ci && ci !== '0' && ci.toLowerCase() !== 'false';
}
