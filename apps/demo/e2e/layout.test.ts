import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layoutProblems } from './layout';
import { CHROMIUM_ARGS } from './stack';

/** The screenshot checks must be able to fail: each fault, on a page made to have it. */

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  page = await browser.newPage({ viewport: { width: 390, height: 844 } });
});
afterAll(async () => {
  await browser?.close();
});

async function problemsOf(html: string): Promise<string[]> {
  await page.setContent(`<!doctype html><body style="margin:0;font:16px sans-serif">${html}</body>`);
  return layoutProblems(page);
}

describe('layoutProblems', () => {
  it('passes a tidy screen, a visually hidden skip link and a wide table in a scroll container', async () => {
    expect(
      await problemsOf(`
        <a href="#m" style="position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)">Skip</a>
        <button>One</button> <button>Two</button>
        <div style="overflow-x:auto;position:relative"><table style="width:900px"><tr>
          <td><input aria-label="wide"></td><td><button style="margin-left:600px">Far</button>
          <span style="position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0,0,0,0)">hidden</span></td>
        </tr></table></div>`),
    ).toEqual([]);
  });

  it('finds overlapping controls', async () => {
    const problems = await problemsOf(
      '<button style="position:absolute;left:10px;top:10px;width:100px">Save</button>' +
        '<button style="position:absolute;left:60px;top:12px;width:100px">Cancel</button>',
    );
    expect(problems).toEqual([expect.stringMatching(/"Save" overlaps <button> "Cancel"/)]);
  });

  it('finds a control wider than the viewport and a page that scrolls sideways', async () => {
    const problems = await problemsOf('<input aria-label="Too wide" style="width:500px">');
    expect(
      problems.some((p) => /^the page scrolls sideways: 5\d\dpx wide in a 390px viewport$/.test(p)),
    ).toBe(true);
    expect(problems.some((p) => p.includes('"Too wide" exceeds the viewport width'))).toBe(true);
  });

  it('finds a control an overflow:hidden ancestor cuts off', async () => {
    const problems = await problemsOf(
      '<div class="box" style="overflow:hidden;width:120px;height:40px"><button style="margin-left:80px;width:100px">Cut</button></div>',
    );
    expect(problems).toEqual([
      expect.stringMatching(/"Cut" is cut off by an overflow:hidden ancestor <div class="box">/),
    ]);
  });

  it('finds a button whose own text does not fit', async () => {
    const problems = await problemsOf(
      '<button style="width:60px;overflow:hidden;white-space:nowrap">A very long label</button>',
    );
    expect(problems).toEqual([expect.stringMatching(/cuts off its own text/)]);
  });
});
