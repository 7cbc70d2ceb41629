/**
 * The webview side of the memory benchmark: the real bundle in headless Chromium (test/webview/harness.ts),
 * fed the extension's messages in order; its JS heap is read after a forced GC through the DevTools protocol.
 */
import type { CDPSession } from 'playwright-core';
import { openView, type Harness } from '../../test/webview/harness';
import type { ExtToViewMessage } from '../../src/shared/messages';

/** A message as the extension posts it to the view. */
type WireMessage = ExtToViewMessage;

export interface PageHeap {
  usedBytes: number;
  domNodes: number;
}

/** Messages are sent in groups: one page round trip per group keeps the driver from dominating the run. */
const GROUP = 20;

export class WebviewProbe {
  private queue: WireMessage[] = [];

  private constructor(private readonly view: Harness, private readonly cdp: CDPSession) {}

  static async open(): Promise<WebviewProbe> {
    const view = await openView({ width: 420, height: 800 });
    const cdp = await view.page.context().newCDPSession(view.page);
    await cdp.send('Performance.enable');
    return new WebviewProbe(view, cdp);
  }

  /** Queues a message (as the extension posts it: deltas packed); sends the group when it is full. */
  async post(msg: WireMessage): Promise<void> {
    this.queue.push(msg);
    if (this.queue.length >= GROUP) await this.drain();
  }

  async drain(): Promise<void> {
    if (this.queue.length === 0) return;
    const group = this.queue;
    this.queue = [];
    // One JSON string per group: playwright's own argument serialisation is far slower for big objects.
    await this.view.page.evaluate((json) => {
      for (const m of JSON.parse(json) as unknown[]) window.postMessage(m, '*');
    }, JSON.stringify(group));
  }

  /** Everything sent and drawn, then a full GC; the heap that is left. */
  async heap(): Promise<PageHeap> {
    await this.drain();
    await this.view.settle();
    await this.cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await this.cdp.send('Performance.getMetrics');
    const metric = (name: string): number => metrics.find((m) => m.name === name)?.value ?? NaN;
    return { usedBytes: metric('JSHeapUsedSize'), domNodes: metric('Nodes') };
  }

  /** What the header says (proof the view shows the session, not an empty page). */
  headerText(): Promise<string> {
    return this.view.page.evaluate(() => document.querySelector('[data-testid=session-header]')?.textContent?.replace(/\s+/g, ' ').trim().slice(0, 200) ?? '');
  }

  /** Errors the page reported (a broken view would make its heap meaningless). */
  problems(): Promise<string[]> {
    return this.view.problems();
  }

  close(): Promise<void> {
    return this.view.close();
  }
}
