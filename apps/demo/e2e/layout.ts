import type { Page } from 'playwright-core';

/**
 * Checks a rendered screen for the layout faults a screenshot review would catch: a visible
 * interactive element that overlaps another, that sticks out of the viewport's width, or that an
 * `overflow: hidden | clip` ancestor cuts off; and a page that scrolls sideways. Returns one line
 * per problem, naming the elements, so a failing test says what to fix.
 */
export async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const SELECTOR = [
      'a[href]',
      'button',
      'input:not([type="hidden"])',
      'select',
      'textarea',
      '[role="button"]',
      '[role="switch"]',
      '[role="checkbox"]',
      '[role="radio"]',
      '[role="tab"]',
      '[role="combobox"]',
      '[contenteditable="true"]',
    ].join(',');
    const vw = document.documentElement.clientWidth;
    const problems: string[] = [];

    const describe = (el: Element) => {
      const label =
        el.getAttribute('aria-label') ||
        (el as HTMLInputElement).labels?.[0]?.textContent ||
        el.textContent ||
        (el as HTMLInputElement).name ||
        '';
      return `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}> "${label.trim().replace(/\s+/g, ' ').slice(0, 40)}"`;
    };

    const visible = (el: Element) => {
      const rect = el.getBoundingClientRect();
      // Visually hidden inputs (a custom switch over a native checkbox, sr-only text) are fine.
      if (rect.width <= 2 || rect.height <= 2) return false;
      for (let node: Element | null = el; node; node = node.parentElement) {
        const style = getComputedStyle(node);
        if (style.display === 'none' || style.visibility === 'hidden' || Number(style.opacity) === 0)
          return false;
        if (style.clipPath && style.clipPath !== 'none' && node === el) return false;
      }
      return !el.closest('[aria-hidden="true"], [inert]');
    };

    /** Inside a scroll container (a wide table on a phone), only the part scrolled into view shows. */
    const scroller = (el: Element) => {
      for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
        const style = getComputedStyle(node);
        if (/(auto|scroll)/.test(style.overflowX + style.overflowY)) return node;
      }
      return null;
    };
    const shownRect = (el: Element) => {
      const r = el.getBoundingClientRect();
      const box = scroller(el)?.getBoundingClientRect();
      if (!box) return r;
      const left = Math.max(r.left, box.left);
      const right = Math.min(r.right, box.right);
      const top = Math.max(r.top, box.top);
      const bottom = Math.min(r.bottom, box.bottom);
      return new DOMRect(left, top, Math.max(0, right - left), Math.max(0, bottom - top));
    };

    const elements = [...document.querySelectorAll(SELECTOR)].filter(visible);
    const rects = new Map(elements.map((el) => [el, shownRect(el)]));

    if (document.documentElement.scrollWidth > vw + 1) {
      problems.push(
        `the page scrolls sideways: ${document.documentElement.scrollWidth}px wide in a ${vw}px viewport`,
      );
    }

    for (const el of elements) {
      const r = rects.get(el)!;
      if (r.width === 0 || r.height === 0) continue;
      if (r.right > vw + 1 || r.left < -1) {
        problems.push(
          `${describe(el)} exceeds the viewport width (${Math.round(r.left)}–${Math.round(r.right)} of ${vw}px)`,
        );
      }
      for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
        const style = getComputedStyle(node);
        // Content a scroll container holds is reachable by scrolling, not cut off.
        if (/(auto|scroll)/.test(style.overflowX + style.overflowY)) break;
        const clipsX = style.overflowX === 'hidden' || style.overflowX === 'clip';
        const clipsY = style.overflowY === 'hidden' || style.overflowY === 'clip';
        if (!clipsX && !clipsY) continue;
        const box = node.getBoundingClientRect();
        const cutX = clipsX && (r.left < box.left - 1 || r.right > box.right + 1);
        const cutY = clipsY && (r.top < box.top - 1 || r.bottom > box.bottom + 1);
        if (cutX || cutY) {
          problems.push(
            `${describe(el)} is cut off by an overflow:${cutX ? style.overflowX : style.overflowY} ancestor <${node.tagName.toLowerCase()} class="${node.className}">`,
          );
          break;
        }
      }
      // Text that does not fit its own button or link.
      if (
        (el.tagName === 'BUTTON' || el.tagName === 'A') &&
        el.scrollWidth > el.clientWidth + 1 &&
        getComputedStyle(el).overflowX !== 'visible'
      ) {
        problems.push(`${describe(el)} cuts off its own text`);
      }
    }

    const pinned = (el: Element): Element | null => {
      for (let node: Element | null = el; node; node = node.parentElement) {
        const position = getComputedStyle(node).position;
        if (position === 'sticky' || position === 'fixed') return node;
      }
      return null;
    };
    for (let i = 0; i < elements.length; i++) {
      for (let j = i + 1; j < elements.length; j++) {
        const a = elements[i]!;
        const b = elements[j]!;
        if (a.contains(b) || b.contains(a)) continue;
        // Content scrolls beneath a pinned bar (the editor's sticky Save/Cancel) by design; two
        // controls in the same layer still may not overlap.
        if (pinned(a) !== pinned(b)) continue;
        const ra = rects.get(a)!;
        const rb = rects.get(b)!;
        const overlapX = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
        const overlapY = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
        // A shared border or a focus ring's pixel is not an overlap.
        if (overlapX > 2 && overlapY > 2) {
          problems.push(
            `${describe(a)} overlaps ${describe(b)} by ${Math.round(overlapX)}×${Math.round(overlapY)}px`,
          );
        }
      }
    }
    return problems;
  });
}
