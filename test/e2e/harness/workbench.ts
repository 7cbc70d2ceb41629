/**
 * Drives the VS Code workbench that code-server serves, in Debian's headless Chromium via
 * playwright-core: open a folder, show a view container, press keys, find a webview's frame,
 * read the active editor, take screenshots.
 */
import { mkdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export class Workbench {
  private constructor(private readonly browser: Browser, readonly page: Page) {}

  /** A fresh browser profile each time (playwright's launch() makes a temporary one). */
  static async launch(chromiumPath: string): Promise<Workbench> {
    const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS, headless: true });
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    return new Workbench(browser, page);
  }

  async openFolder(serverUrl: string, folder: string): Promise<void> {
    await this.page.goto(`${serverUrl}/?folder=${encodeURIComponent(folder)}`);
    await this.page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
    // The window title names the folder once the workspace is really open.
    await this.page.waitForFunction((name) => document.title.includes(name), basename(folder), { timeout: 60_000 });
  }

  /** Shows a view container from the activity bar (clicking an already shown one would hide it). */
  async showViewContainer(title: string): Promise<void> {
    const item = this.page.locator(`.activitybar .action-item:has([aria-label^="${title}"])`);
    await item.waitFor({ timeout: 30_000 });
    if (!(await item.evaluate((el) => el.classList.contains('checked')))) await item.click();
  }

  /**
   * Opens a workspace file in the editor through Quick Open (Ctrl+P), as a user would. A workbench
   * still restoring its last state can close the picker under us, so it is tried up to 3 times.
   */
  async openFile(name: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.press('Control+P');
        const input = this.page.locator('.quick-input-widget input');
        await input.fill(name, { timeout: 5000 });
        await this.page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 5000 });
        await this.page.keyboard.press('Enter');
        await this.until(`${name} in the editor`, async () => ((await this.activeEditor())?.file === name ? true : undefined), 5000);
        return;
      } catch (e) {
        if (attempt === 3) throw e;
        await this.page.keyboard.press('Escape');
      }
    }
  }

  /** Drags the sash on the side bar's right edge so the side bar is `width` pixels wide. */
  async setSideBarWidth(width: number): Promise<void> {
    const sidebar = await this.page.locator('.part.sidebar').boundingBox();
    const sash = await this.page.locator('.monaco-sash.vertical:not(.disabled)').evaluateAll(
      (els, edge) => els.map((e) => e.getBoundingClientRect()).find((r) => Math.abs(r.x - edge) < 8),
      sidebar ? sidebar.x + sidebar.width : -1);
    if (!sidebar || !sash) return;
    const x = sash.x + sash.width / 2;
    const y = sash.y + sash.height / 2;
    await this.page.mouse.move(x, y);
    await this.page.mouse.down();
    await this.page.mouse.move(sidebar.x + width, y, { steps: 5 });
    await this.page.mouse.up();
  }

  /** Sends a key to the workbench (focus goes to the editor area first, where F5/F1 are handled). */
  async press(key: string): Promise<void> {
    await this.page.locator('.part.editor').click({ position: { x: 20, y: 20 } });
    await this.page.keyboard.press(key);
  }

  /**
   * Presses F5 and waits for the debug toolbar that shows the session runs. Right after a folder
   * opens, F5 can be lost while the workbench is still loading the launch configuration, so it is
   * pressed once more if no session started (never while one runs).
   */
  async startDebugging(): Promise<void> {
    const toolbar = this.page.locator('.debug-toolbar');
    for (let attempt = 1; ; attempt++) {
      await this.press('F5');
      try {
        await toolbar.waitFor({ timeout: attempt === 1 ? 8000 : 20_000 });
        return;
      } catch (e) {
        if (attempt === 2) throw e;
        console.log('no debug session 8 s after F5: pressing F5 again');
        await this.page.keyboard.press('Escape'); // whatever F5 may have opened instead
      }
    }
  }

  /**
   * Webviews live in nested iframes; the frame holding `selector` is found by scanning all frames.
   * Frames are replaced when a webview reloads, so callers ask again rather than keep a stale one.
   */
  async findFrame(selector: string, timeoutMs = 30_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for (const frame of this.page.frames()) {
        try {
          if (await frame.$(selector)) return frame;
        } catch {
          // frame detached while scanning
        }
      }
      await this.page.waitForTimeout(250);
    }
    throw new Error(`no frame holds ${selector} after ${timeoutMs} ms`);
  }

  /** The active editor's file name (its tab label) and cursor line (status bar "Ln X, Col Y"). */
  async activeEditor(): Promise<{ file: string; line: number } | undefined> {
    const tab = this.page.locator('.editor-group-container.active .tab.active').first();
    const selection = this.page.locator('[id="status.editor.selection"]').first();
    if (!(await tab.count()) || !(await selection.count())) return undefined;
    const file = (await tab.getAttribute('data-resource-name')) ?? '';
    const match = /Ln (\d+)/.exec((await selection.textContent()) ?? '');
    return match ? { file, line: Number(match[1]) } : undefined;
  }

  /** Waits until `check` returns a value (polled), or throws with the last value seen. */
  async until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await check().catch(() => undefined);
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await this.page.waitForTimeout(200);
    }
  }

  async screenshot(path: string): Promise<void> {
    mkdirSync(dirname(path), { recursive: true });
    await this.page.screenshot({ path, fullPage: true });
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}
