/** Runs the built CLI (dist/cli.js, or $ASYNC_INSPECTOR_CLI) as a user would, on fixture programs. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Report } from '../../src/model/types';

export const root = join(__dirname, '..', '..');
export const cliPath = process.env.ASYNC_INSPECTOR_CLI ?? join(root, 'dist', 'cli.js');
export const fixture = (name: string) => join(__dirname, 'fixtures', name);
export const agentBuilt = existsSync(join(cliPath, '..', 'agent-node.js'));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function startCli(args: string[], cwd = root): { child: ChildProcess; done: Promise<CliResult> } {
  if (!existsSync(cliPath)) throw new Error(`${cliPath} is missing: run npm run build first`);
  const child = spawn(process.execPath, [cliPath, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d) => (stderr += d));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, done };
}

export function runCli(args: string[], cwd = root): Promise<CliResult> {
  return startCli(args, cwd).done;
}

export function tempFile(name: string): string {
  return join(mkdtempSync(join(tmpdir(), 'ai-cli-')), name);
}

export function readReport(path: string): Report {
  return JSON.parse(readFileSync(path, 'utf8')) as Report;
}
