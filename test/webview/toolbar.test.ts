/**
 * The toolbar in a real browser at the side bar's usual widths (250–600 px): the filter box keeps room
 * for its whole placeholder and is never narrower than the grouping dropdown, nothing overflows; the
 * filter summary counts in words ("1 flag") and clears with a button of its own.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BROWSER_SKIP, openView, type Harness } from './harness';
import { search } from './rowsShown';
import { delta, deltaMsg, gatherScenario, reset } from './sessions';

interface Layout {
  placeholder: number;
  input: number;
  select: number;
  overflow: number;
  selectTop: number;
  tabsTop: number;
}

/** Widths of what the toolbar shows (the placeholder measured in the input's own font). */
function layout(h: Harness): Promise<Layout> {
  return h.page.evaluate(() => {
    const input = document.querySelector('[data-testid="task-filter"]') as HTMLInputElement;
    const style = getComputedStyle(input);
    const ctx = document.createElement('canvas').getContext('2d')!;
    ctx.font = `${style.fontSize} ${style.fontFamily}`;
    const select = document.querySelector('[data-testid="group-by"]')!.getBoundingClientRect();
    const tabs = document.querySelector('[data-testid="pane-timeline"]')!.getBoundingClientRect();
    const bar = document.querySelector('[data-testid="toolbar"]') as HTMLElement;
    return {
      placeholder: ctx.measureText(input.placeholder).width, input: input.clientWidth, select: select.width,
      overflow: Math.max(bar.scrollWidth - bar.clientWidth, tabs.right - document.documentElement.clientWidth),
      selectTop: select.top, tabsTop: tabs.top,
    };
  });
}

describe('toolbar', { skip: BROWSER_SKIP }, () => {
  for (const width of [250, 300, 420, 600]) {
    it(`lays out at ${width} px: the whole placeholder shows, the dropdown is not wider than the filter`, async () => {
      const h = await openView({ width });
      try {
        await h.send(reset(), deltaMsg(delta(1, gatherScenario())));
        await h.settle();
        const l = await layout(h);
        assert.ok(l.placeholder <= l.input + 1, `placeholder ${l.placeholder.toFixed(0)} px in a ${l.input} px box`);
        assert.ok(l.input >= l.select, `filter ${l.input} px, dropdown ${l.select} px`);
        assert.ok(l.overflow <= 0, `overflows by ${l.overflow} px`);
        assert.ok(Math.abs(l.selectTop - l.tabsTop) < 4, 'the dropdown and the pane switch stay on one line');
        if (width === 300) await h.screenshot('webview-toolbar-300');
        assert.deepEqual(await h.problems(), []);
      } finally {
        await h.close();
      }
    });
  }
});

describe('filter summary', { skip: BROWSER_SKIP }, () => {
  let h: Harness;
  before(async () => {
    h = await openView({ width: 300 });
    const flag = { id: 'f1', kind: 'never-awaited' as const, message: 'x() was never awaited', location: null, task: '3', t: 5 };
    await h.send(reset(), deltaMsg(delta(1, gatherScenario(), { flags: [flag] })));
    await h.settle();
  });
  after(async () => {
    await h?.close();
  });

  it('counts in words and clears with a button', async () => {
    await search(h, 'fetchUser');
    assert.equal(await h.page.textContent('[data-testid="filter-summary"] .filter-count'), '1 of 10 tasks match · 1 flag');
    const clear = h.page.locator('[data-testid="filter-clear"]');
    assert.equal(await clear.evaluate((e) => e.tagName), 'BUTTON');
    assert.equal((await clear.textContent())?.trim(), 'Clear filter');
    await search(h, 'nothing-matches-this');
    assert.equal(await h.page.textContent('[data-testid="filter-summary"] .filter-count'), '0 of 10 tasks match · 0 flags');
    await h.screenshot('webview-filter-summary');
    await clear.click();
    await h.settle();
    assert.equal(await h.page.inputValue('[data-testid="task-filter"]'), '');
    assert.equal(await h.page.isVisible('[data-testid="filter-summary"]'), false);
  });
});
