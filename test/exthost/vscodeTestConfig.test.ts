/**
 * The suite's second host, @vscode/test-cli, cannot run here (it downloads VS Code): this keeps its
 * configuration (.vscode-test.mjs) pointing at the same bundled suite, extension and fixture workspace,
 * with the same Mocha options as the code-server runner. (Checked once by hand: test-cli's own runner,
 * given this configuration's options, ran the whole suite inside code-server.)
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const root = join(__dirname, '..', '..');

test('.vscode-test.mjs runs the bundled suite of this extension with the shared Mocha options', async () => {
  const { default: config } = (await import(join(root, '.vscode-test.mjs'))) as {
    default: { files: string; extensionDevelopmentPath: string; workspaceFolder: string; mocha: object };
  };
  assert.equal(resolve(root, config.files), join(root, 'out', 'exthost', 'suite.js'));
  assert.equal(config.extensionDevelopmentPath, root);
  assert.ok(existsSync(join(config.workspaceFolder, 'flagged.js')), `workspace ${config.workspaceFolder} is not a copy of test/exthost/workspace`);
  assert.deepEqual(config.mocha, JSON.parse(readFileSync(join(__dirname, 'mocha.json'), 'utf8')));
  const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts as Record<string, string>;
  assert.match(scripts['test:vscode'], /vscode-test/);
});
