import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { layoutProblems } from './layout';
import { screenshotDir } from './stack';

/**
 * Saves a full-page screenshot of the current screen into test-output/screenshots and fails
 * the test when the screen has a layout fault (overlap, overflow, clipping).
 */
export async function captureScreen(page: Page, name: string): Promise<string> {
  const { width } = page.viewportSize() ?? { width: 0 };
  // Settle: fonts, pending transitions, and the top of the page (a sticky header over scrolled
  // content is not an overlap).
  await page.evaluate(async () => {
    await document.fonts.ready;
    window.scrollTo(0, 0);
  });
  await page.waitForTimeout(150);
  const file = join(screenshotDir, `${name}-${width}.png`);
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
  const problems = await layoutProblems(page);
  expect(problems, `layout of ${name} at ${width}px (${file})`).toEqual([]);
  return file;
}
