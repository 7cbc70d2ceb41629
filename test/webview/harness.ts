/**
 * Loads the real webview bundle in headless Chromium, inside the exact HTML (and CSP) the extension
 * serves, with acquireVsCodeApi stubbed to record what the view posts. Tests drive it by posting the
 * extension's messages, as VS Code would.
 */
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { makeNonce, renderWebviewHtml } from '../../src/extension/webviewHtml';
import type { ExtToViewMessage, ViewToExtMessage } from '../../src/shared/messages';
import { THEMES, type ThemeName } from './themes';

const ROOT = resolve(__dirname, '../..');
export const RESULTS_DIR = join(ROOT, 'test-results');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/**
 * Skip reason when there is no Chromium (a visible SKIP on a developer machine; under CI, where
 * scripts/ensure-vscode.sh installs it, a missing browser is a failure, not a skip).
 */
export const BROWSER_SKIP: string | false = existsSync(CHROMIUM) || process.env.CI
  ? false
  : `no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`;
const LAUNCH_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];
/**
 * Runs before the bundle: the acquireVsCodeApi stub that records posted messages, and a CSP violation
 * log. A string, not a function: tsx's name-keeping helpers do not exist inside the page.
 */
const STUB_VSCODE_API = `
  window.__posted = [];
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('acquireVsCodeApi called twice');
    acquired = true;
    return {
      postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
      // Like VS Code, the state outlives a reload of the view.
      getState: () => JSON.parse(sessionStorage.getItem('__state') || 'null') ?? undefined,
      setState: (state) => sessionStorage.setItem('__state', JSON.stringify(state)),
    };
  };
  window.__settle = () => new Promise((ok) => {
    const once = (e) => {
      if (e.data !== '__settle') return;
      window.removeEventListener('message', once);
      requestAnimationFrame(() => requestAnimationFrame(() => ok()));
    };
    window.addEventListener('message', once);
    window.postMessage('__settle', '*');
  });
`;
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.map': 'application/json' };

export interface Harness {
  page: Page;
  /** Posts extension → view messages (as VS Code's webview.postMessage does). */
  send(...messages: ExtToViewMessage[] | unknown[]): Promise<void>;
  /** What the view posted to the extension so far. */
  posted(): Promise<ViewToExtMessage[]>;
  /** Waits until the view has drawn everything sent so far. */
  settle(): Promise<void>;
  /** CSP violations, page errors and console errors seen so far. */
  problems(): Promise<string[]>;
  setTheme(theme: ThemeName): Promise<void>;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * The bundle to load: dist/webview.js as `npm run build` made it, when it is newer than every webview
 * source; otherwise (sources edited since) a fresh build with the same options into `outDir`.
 */
async function webviewBundle(outDir: string): Promise<string> {
  const built = join(ROOT, 'dist/webview.js');
  const sources = readdirSync(join(ROOT, 'src/webview')).map((f) => statSync(join(ROOT, 'src/webview', f)).mtimeMs);
  if (existsSync(built) && statSync(built).mtimeMs >= Math.max(...sources)) return built;
  const outfile = join(outDir, 'webview.js');
  await esbuild.build({
    absWorkingDir: ROOT, entryPoints: ['src/webview/main.ts'], outfile,
    platform: 'browser', target: 'es2022', format: 'iife', bundle: true, sourcemap: true, logLevel: 'warning',
  });
  return outfile;
}

function serve(files: Record<string, string>, html: () => string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html());
      return;
    }
    const file = files[path];
    if (!file || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

export async function openView(options: { width?: number; height?: number; theme?: ThemeName } = {}): Promise<Harness> {
  const work = mkdtempSync(join(tmpdir(), 'ai-webview-'));
  const bundle = await webviewBundle(work);
  const codicons = join(ROOT, 'node_modules/@vscode/codicons/dist');
  const server = await serve(
    {
      '/webview.js': bundle,
      '/webview.js.map': `${bundle}.map`,
      '/media/webview.css': join(ROOT, 'media/webview.css'),
      '/codicons/codicon.css': join(codicons, 'codicon.css'),
      '/codicons/codicon.ttf': join(codicons, 'codicon.ttf'),
    },
    () => {
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      return renderWebviewHtml({
        cspSource: origin, nonce: makeNonce(), scriptUri: `${origin}/webview.js`,
        styleUri: `${origin}/media/webview.css`, codiconsUri: `${origin}/codicons/codicon.css`,
      });
    },
  );
  const profile = join(work, 'profile');
  mkdirSync(profile);
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS, headless: true });
  const context = await browser.newContext({ viewport: { width: options.width ?? 420, height: options.height ?? 640 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    if (process.env.WEBVIEW_DEBUG) console.log(`[page ${m.type()}] ${m.text()}`);
  });
  await page.addInitScript({ content: STUB_VSCODE_API });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  try {
    await page.goto(url);
    await page.waitForFunction(() => (window as unknown as { __posted: unknown[] }).__posted.length > 0, undefined, { timeout: 15_000 });
  } catch (err) {
    await browser.close();
    server.close();
    throw new Error(`the webview did not start: ${String(err)}\n${problems.join('\n')}`);
  }

  const harness: Harness = {
    page,
    async send(...messages) {
      await page.evaluate((ms) => {
        for (const m of ms) window.postMessage(m, '*');
      }, messages as unknown[]);
    },
    posted: () => page.evaluate(() => (window as unknown as { __posted: ViewToExtMessage[] }).__posted),
    async settle() {
      // A message round trip, then two animation frames: the view applies on message and draws on the next frame.
      await page.evaluate('window.__settle()');
    },
    async problems() {
      const csp = await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
      return [...problems, ...csp.map((c) => `csp: ${c}`)];
    },
    async setTheme(theme) {
      // Like VS Code, a theme change replaces every variable (none of the previous theme's linger).
      const all = [...new Set(Object.values(THEMES).flatMap((t) => Object.keys(t.vars)))];
      await page.evaluate(({ t, all }) => {
        document.body.className = t.bodyClass;
        for (const k of all) document.documentElement.style.removeProperty(k);
        for (const [k, v] of Object.entries(t.vars)) document.documentElement.style.setProperty(k, v);
      }, { t: THEMES[theme], all });
    },
    async screenshot(name) {
      mkdirSync(RESULTS_DIR, { recursive: true });
      const path = join(RESULTS_DIR, `${name}.png`);
      await page.screenshot({ path });
      return path;
    },
    async close() {
      await browser.close();
      await new Promise((ok) => server.close(ok));
      rmSync(work, { recursive: true, force: true });
    },
  };
  await harness.setTheme(options.theme ?? 'dark');
  return harness;
}
