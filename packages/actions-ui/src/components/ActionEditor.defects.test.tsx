// One test per defect of issue 12 that the editor had, each failing before its fix.
import { type ActionDefinition, emptyAction } from '@aihio/actions-core';
import { describe, expect, test, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-react';
import { KitFixture } from '../testing/KitFixture';
import '../styles.css';
import { ActionEditor, type ActionEditorProps } from './ActionEditor';

const valid: ActionDefinition = {
  ...emptyAction(),
  identifier: 'lookup_order',
  description: 'Look up a customer’s order status by order number.',
  url: 'https://api.example.com/orders/{{order_number}}',
  parameters: [
    { name: 'order_number', label: 'Order number', type: 'text', hint: 'Such as ORD-123', required: true },
    { name: 'customer_email', label: 'Customer email', type: 'email', required: false },
  ],
};

function editor(props: ActionEditorProps = {}, width?: number) {
  return render(
    <KitFixture>
      <div style={width ? { width } : undefined}>
        <ActionEditor guardUnload={false} {...props} />
      </div>
    </KitFixture>,
  );
}

/** Controls inside `root` that stick out of their nearest scroll container or of `root` itself. */
function clippedControls(root: Element): string[] {
  const out: string[] = [];
  const box = root.getBoundingClientRect();
  for (const el of root.querySelectorAll<HTMLElement>('input, select, textarea, button')) {
    if (el.closest('.aihio-visually-hidden') || el.getClientRects().length === 0) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0) continue;
    let scroller: HTMLElement | null = el.parentElement;
    while (
      scroller &&
      !(scroller.scrollWidth > scroller.clientWidth + 1 && getComputedStyle(scroller).overflowX !== 'visible')
    ) {
      scroller = scroller.parentElement;
    }
    if (scroller && root.contains(scroller)) out.push(`${el.outerHTML.slice(0, 80)} needs a sideways scroll`);
    else if (r.left < box.left - 1 || r.right > box.right + 1)
      out.push(`${el.outerHTML.slice(0, 80)} sticks out`);
  }
  return out;
}

describe('defect 1: the parameter table fits its card at every width', () => {
  for (const width of [1152, 720, 360]) {
    test(`${width}px: no control clipped or needing a sideways scroll`, async () => {
      const screen = await editor({ defaultValue: valid }, width);
      const table = screen.container.querySelector('[data-slot="parameter-table"]');
      if (!table) throw new Error('no parameter table');
      await expect.element(page.getByRole('textbox', { name: 'Name parameter 2' })).toBeVisible();
      expect(clippedControls(table)).toEqual([]);
    });
  }

  test('390px: a row is a compact card, not a 170 px strip of mostly empty cells', async () => {
    const screen = await editor({ defaultValue: valid }, 360);
    const name = page.getByRole('textbox', { name: 'Name parameter 1' }).element();
    const label = page.getByRole('textbox', { name: 'Label parameter 1' }).element();
    // Name and Label are both fully visible, one above the other.
    expect(label.getBoundingClientRect().top).toBeGreaterThan(name.getBoundingClientRect().bottom - 1);
    expect(label.getBoundingClientRect().right).toBeLessThanOrEqual(
      (screen.container.querySelector('[data-slot="parameter-table"]') as HTMLElement).getBoundingClientRect()
        .right + 1,
    );
    void vi;
  });
});
