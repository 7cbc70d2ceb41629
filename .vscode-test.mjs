// The extension-host suite (test/exthost) under @vscode/test-cli, which downloads VS Code and runs the
// suite in its extension host: `npm run test:vscode` (needs Node >= 22 and the VS Code download site).
// The same bundled suite runs inside code-server in `npm test` (test/exthost/codeServer.test.ts), where
// VS Code cannot be downloaded. Mocha's options are shared with that runner (test/exthost/mocha.json).
import { defineConfig } from '@vscode/test-cli';
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = import.meta.dirname;
const mocha = JSON.parse(readFileSync(join(root, 'test/exthost/mocha.json'), 'utf8'));
// VS Code may write into the folder it opens (settings the tests change): a copy, not the committed one.
const workspace = join(tmpdir(), 'async-inspector-exthost-workspace');
rmSync(workspace, { recursive: true, force: true });
cpSync(join(root, 'test/exthost/workspace'), workspace, { recursive: true });

export default defineConfig({
  label: 'exthost',
  files: 'out/exthost/suite.js',
  extensionDevelopmentPath: root,
  workspaceFolder: workspace,
  version: 'stable',
  launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
  mocha,
});
