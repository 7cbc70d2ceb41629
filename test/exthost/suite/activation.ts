/**
 * Activation: the extension loads in the extension host on its activation event (resolving an
 * `async-inspector` configuration) and registers every command its package.json contributes.
 */
import assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import * as vscode from 'vscode';
import { DEBUG_TYPE, extension, Messages } from './helpers';

suite('activation', () => {
  test('resolving an async-inspector configuration activates the extension', async () => {
    const ext = extension();
    const wasActive = ext.isActive;
    const messages = new Messages();
    try {
      // A configuration without a program: resolving it activates the extension, which refuses it.
      await vscode.debug.startDebugging(undefined, { type: DEBUG_TYPE, request: 'launch', name: 'exthost: activation' });
      await messages.next('error', /has no "program"/);
    } finally {
      messages.dispose();
    }
    assert.ok(ext.isActive, `not active after onDebugResolve:${DEBUG_TYPE} (was active before: ${wasActive})`);
  });

  test('every contributed command is registered', async () => {
    const ext = extension();
    await ext.activate();
    const contributed = (ext.packageJSON.contributes.commands as Array<{ command: string }>).map((c) => c.command);
    assert.ok(contributed.length >= 6, `contributed: ${contributed.join(', ')}`);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contributed.filter((c) => !registered.has(c)), []);
  });

  test('activate() returns the extension-host test API', async () => {
    const api = await extension().activate();
    assert.equal(typeof api.dynamicConfigurations.provideDebugConfigurations, 'function');
  });
});
