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
    // The page's load event took over 30 s (playwright's default) at a load average of 9-11 on 2 cores.
    await this.page.goto(`${serverUrl}/?folder=${encodeURIComponent(folder)}`, { timeout: 90_000 });
    await this.page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
    // The window title names the folder once the workspace is really open.
    await this.page.waitForFunction((name) => document.title.includes(name), basename(folder), { timeout: 60_000 });
  }

  /**
   * Shows a view container from the activity bar and returns once the side bar shows it. A click on the
   * container already shown hides the side bar, and VS Code opens one on its own at times: Run and Debug when
   * a session stops at a breakpoint (`debug.openDebug`: openOnDebugBreak), often within a few hundred ms of
   * the debug toolbar showing, so between a look at the activity bar and the click after it. A click that hid
   * the side bar that way is seen after it, and the container is clicked open again.
   */
  async showViewContainer(title: string, timeoutMs = 30_000): Promise<void> {
    const item = this.page.locator(`.activitybar .action-item:has([aria-label^="${title}"])`);
    await item.waitFor({ timeout: timeoutMs });
    const state = async () => `${await item.evaluate((el) => el.classList.contains('checked'))}`
      + ` ${await this.page.locator('.part.sidebar').isVisible()}`;
    const deadline = Date.now() + timeoutMs;
    for (let clicks = 0; ; clicks++) {
      const before = await state();
      if (before === 'true true') return;
      if (Date.now() > deadline) throw new Error(`the side bar does not show ${title} after ${clicks} click(s) (checked, side bar visible: ${before})`);
      await item.click();
      // Look again once the click had its effect (and VS Code's own opening, if any, too).
      await this.until(`the activity bar to change after clicking ${title}`, async () => ((await state()) !== before ? true : undefined), 5000)
        .catch(() => undefined);
      await this.page.waitForTimeout(500);
    }
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
        // At a load average of 9 the row took over 5 s on all 3 tries (it was there in the failure screenshot).
        await this.page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 15_000 });
        await this.page.keyboard.press('Enter');
        await this.until(`${name} in the editor`, async () => ((await this.activeEditor())?.file === name ? true : undefined), 5000);
        return;
      } catch (e) {
        if (attempt === 3) throw e;
        await this.page.keyboard.press('Escape');
      }
    }
  }

  /**
   * Runs a command from the Command Palette (F1) by its title, as a user would: types the title and
   * clicks the entry that shows it.
   */
  async runCommand(title: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.press('F1');
        const input = this.page.locator('.quick-input-widget input');
        await input.fill(`>${title}`, { timeout: 5000 });
        await this.clickPickerEntry(title);
        return;
      } catch (e) {
        if (attempt === 2) throw e;
        await this.page.keyboard.press('Escape');
      }
    }
  }

  /**
   * Picks a colour theme by its label ("Light Modern") with "Preferences: Color Theme" (VS Code in the browser does not reliably pick up
   * a settings.json edited behind its back) and waits for the workbench to wear it.
   */
  async setColorTheme(theme: string, kind: 'light' | 'dark'): Promise<void> {
    await this.runCommand('Preferences: Color Theme');
    const input = this.page.locator('.quick-input-widget input[placeholder*="Color Theme"]');
    await input.fill(theme, { timeout: 5000 });
    await this.clickPickerEntry(theme);
    const themeClass = kind === 'light' ? 'vs' : 'vs-dark';
    await this.page.locator(`.monaco-workbench.${themeClass}`).waitFor({ timeout: 10_000 });
    await this.moveMouseAway();
  }

  /** Clicks the quick pick's entry labelled exactly `label` (pickers also list near matches, maybe first). */
  private async clickPickerEntry(label: string): Promise<void> {
    const exact = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    await this.page.locator('.quick-input-widget .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: exact }) }).first().click({ timeout: 5000 });
  }

  /**
   * Answers an open-file dialog. In the browser VS Code's dialog is its own "simple" one: a quick input
   * holding a path; the user types the file's full path and presses Enter. The dialog fills in its
   * starting folder asynchronously (after it lists it), which can overwrite what was typed: so the
   * path is typed again until Enter closes the dialog.
   */
  async answerFileDialog(path: string): Promise<void> {
    const widget = this.page.locator('.quick-input-widget');
    const input = widget.locator('input');
    // Ready once it lists the starting folder (its ".." entry).
    await widget.locator('.monaco-list-row').first().waitFor({ timeout: 10_000 });
    for (let attempt = 1; ; attempt++) {
      await input.fill(path);
      // The dialog checks the typed path before it accepts Enter: give it longer on each attempt (a loaded
      // machine may need more than the first 300 ms).
      await this.page.waitForTimeout(300 * attempt);
      if ((await input.inputValue()) === path) {
        await this.page.keyboard.press('Enter');
        if (await widget.waitFor({ state: 'hidden', timeout: 3000 * attempt }).then(() => true, () => false)) return;
      }
      if (attempt === 4) throw new Error(`the file dialog did not take ${path}: it shows ${await input.inputValue()}`);
    }
  }

  /** Parks the mouse low in the middle of the editor (past the last line), where hovering shows nothing. */
  async moveMouseAway(): Promise<void> {
    const editor = await this.page.locator('.part.editor').boundingBox();
    if (editor) await this.page.mouse.move(editor.x + editor.width / 2, editor.y + editor.height - 40);
  }

  /**
   * Waits (at most `timeoutMs`, without failing) until the status bar shows no spinning progress, such as
   * the TypeScript server's "Analyzing…" after a file opens: screenshots for the docs look settled.
   */
  async settle(timeoutMs = 5000): Promise<void> {
    await this.page.locator('.part.statusbar .codicon-modifier-spin').first()
      .waitFor({ state: 'detached', timeout: timeoutMs }).catch(() => undefined);
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

  /** Puts a breakpoint on `line` of the active editor as a user does: Ctrl+G, the line, Enter, F9. */
  async setBreakpoint(line: number): Promise<void> {
    await this.press('Control+G');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 10_000 });
    await input.fill(`:${line}`);
    await this.page.keyboard.press('Enter');
    await this.until(`the cursor on line ${line}`, async () => ((await this.activeEditor())?.line === line ? true : undefined), 5000);
    await this.page.keyboard.press('F9');
    await this.until(`a breakpoint on line ${line}`, async () => ((await this.page.locator('.codicon-debug-breakpoint').count()) > 0 ? true : undefined), 5000);
  }

  /**
   * Sends a key to the workbench (focus goes to the editor area first, where F5/F1 are handled). The click
   * goes low in the editor area: its top is where the floating debug toolbar sits while a session runs.
   */
  async press(key: string): Promise<void> {
    const editor = this.page.locator('.part.editor');
    const height = (await editor.boundingBox())?.height ?? 60;
    await editor.click({ position: { x: 20, y: Math.max(20, height - 40) } });
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
   * Waits until CALL STACK (in Run and Debug) lists `name`. If it does not, the error says what the window
   * showed: whether the editor has a paused frame (the top-frame arrow) and what the side bar shows, so that a
   * stop CALL STACK could not show (side bar hidden) is not read as a session that never stopped.
   */
  async waitForCallStack(name: string, timeoutMs: number): Promise<void> {
    const callStack = this.page.locator('.debug-call-stack');
    try {
      await this.until(`CALL STACK to show ${name}`, async () => ((await callStack.textContent())?.includes(name) ? true : undefined), timeoutMs);
    } catch (e) {
      const paused = (await this.page.locator('.codicon-debug-stackframe').count()) > 0;
      const sideBar = (await this.page.locator('.part.sidebar').isVisible())
        ? `open on ${await this.page.locator('.activitybar .action-item.checked [aria-label]').first().getAttribute('aria-label', { timeout: 1000 }).catch(() => '?')}`
        : 'hidden';
      const toolbar = (await this.page.locator('.debug-toolbar').isVisible()) ? 'shown' : 'not shown';
      throw new Error(`${(e as Error).message}; the editor shows ${paused ? 'a paused frame' : 'no paused frame'}, the side bar is ${sideBar}, the debug toolbar ${toolbar}`);
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
