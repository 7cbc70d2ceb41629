/** The webview page the extension serves: a strict CSP that only lets our own nonce'd bundle run. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentSecurityPolicy, makeNonce, renderWebviewHtml } from '../../src/extension/webviewHtml';

describe('webview HTML', () => {
  const assets = {
    cspSource: 'https://file+.vscode-resource.vscode-cdn.net', nonce: makeNonce(),
    scriptUri: 'https://x/dist/webview.js', styleUri: 'https://x/media/webview.css', codiconsUri: 'https://x/dist/codicons/codicon.css',
  };

  it('allows scripts by nonce only, no inline styles, no eval, nothing remote', () => {
    const csp = contentSecurityPolicy(assets);
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, new RegExp(`script-src 'nonce-${assets.nonce.replace(/[+/]/g, '\\$&')}'(;|$)`));
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*|https?:\/\/(?!file\+)/);
  });

  it('loads exactly one script, carrying the nonce', () => {
    const html = renderWebviewHtml(assets);
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    assert.deepEqual(scripts, [`<script nonce="${assets.nonce}" src="${assets.scriptUri}">`]);
    assert.notEqual(makeNonce(), makeNonce());
    assert.ok(makeNonce().length >= 22);
  });
});
