/**
 * The Tasks webview's HTML: a strict Content-Security-Policy (nothing but our own bundle, run by nonce;
 * our stylesheets and the codicon font; no inline styles, no eval), the CSS and the script.
 * vscode-free, so the browser tests load exactly this page.
 */
import { randomBytes } from 'node:crypto';

export interface WebviewAssets {
  /** The webview's `cspSource` (the origin its local resources are served from). */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  codiconsUri: string;
  nonce: string;
}

export function makeNonce(): string {
  return randomBytes(18).toString('base64');
}

export function contentSecurityPolicy(a: Pick<WebviewAssets, 'cspSource' | 'nonce'>): string {
  return [
    "default-src 'none'",
    `img-src ${a.cspSource} data:`,
    `font-src ${a.cspSource}`,
    `style-src ${a.cspSource}`,
    `script-src 'nonce-${a.nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function renderWebviewHtml(a: WebviewAssets): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(a))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(a.codiconsUri)}">
<link rel="stylesheet" href="${attr(a.styleUri)}">
<title>Async Inspector</title>
</head>
<body>
<script nonce="${attr(a.nonce)}" src="${attr(a.scriptUri)}"></script>
</body>
</html>
`;
}

function attr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
