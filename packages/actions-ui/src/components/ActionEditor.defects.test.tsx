// One test per defect of issue 12 that the editor had, each failing before its fix.
import { type ActionDefinition, emptyAction, type TestResult } from '@aihio/actions-core';
import { describe, expect, test, vi } from 'vitest';
import { page } from 'vitest/browser';
import { render } from 'vitest-browser-react';
import { createFakeBff, okTestResult, storedAction } from '../testing/fake-bff';
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
  });
});

const keyed = () =>
  storedAction(
    {
      identifier: 'lookup_order',
      url: 'https://api.example.com/orders/{{order_number}}',
      auth: { type: 'api_key', headerName: 'X-Api-Key' },
      parameters: [{ name: 'order_number', label: 'Order number', type: 'text', required: true }],
    },
    { credential: { last4: '9f3a' }, version: 4 },
  );

function connected(bff: ReturnType<typeof createFakeBff>) {
  return render(
    <KitFixture bff={bff}>
      <ActionEditor chatbotId="bot_1" actionId="act_lookup_order" guardUnload={false} />
    </KitFixture>,
  );
}

describe('defect 2: a message that appears on blur never moves the control being clicked', () => {
  test('Add header, then click "Bearer token": the click lands', async () => {
    const screen = await editor({ defaultValue: valid });
    await screen.getByRole('button', { name: 'Add header' }).click();
    await screen.getByLabelText('Header name 1').click();
    // The blank header name gets its error when it loses focus, i.e. on this mousedown.
    await screen.getByRole('radio', { name: 'Bearer token' }).click();
    await expect.element(screen.getByRole('radio', { name: 'Bearer token' })).toBeChecked();
    // ...and the message still comes, after the click.
    await expect.element(screen.getByLabelText('Header name 1')).toHaveAttribute('aria-invalid', 'true');
  });
});

describe('defect 5: dropping the stored credential is confirmed', () => {
  test('a new host asks in a dialog before saving; Keep editing keeps the credential', async () => {
    const bff = createFakeBff({ actions: [keyed()] });
    const screen = await connected(bff);
    await screen
      .getByRole('combobox', { name: 'URL' })
      .fill('https://eu.example.com/orders/{{order_number}}');
    await screen.getByRole('button', { name: 'Save action' }).click();
    await expect
      .element(page.getByRole('alertdialog', { name: 'Remove the stored credential?' }))
      .toBeVisible();
    await page.getByRole('button', { name: 'Keep editing' }).click();
    expect(bff.actions()[0]).toMatchObject({ credential: { last4: '9f3a' }, version: 4 });
  });

  test('no notice while the URL is half-typed', async () => {
    const bff = createFakeBff({ actions: [keyed()] });
    const screen = await connected(bff);
    const url = screen.getByRole('combobox', { name: 'URL' });
    await url.fill('https://');
    await screen.getByLabelText('Description').click();
    await expect.element(url).toHaveAttribute('aria-invalid', 'true');
    // No host yet: nothing is said about one.
    expect(document.querySelector('[data-slot="credential-drop"]')?.textContent).toBe('');
    await url.fill('https://eu.example.com/orders/{{order_number}}');
    await expect.element(screen.getByText(/because the host changed/)).toBeVisible();
  });

  test('switched to no authentication, the notice does not ask to enter the credential again', async () => {
    const bff = createFakeBff({ actions: [keyed()] });
    const screen = await connected(bff);
    await screen.getByRole('radio', { name: 'No authentication' }).click();
    await expect.element(screen.getByText(/because the action no longer authenticates/)).toBeVisible();
    expect(document.querySelector('[data-slot="credential-drop"]')?.textContent).not.toMatch(
      /enter it again/,
    );
  });
});

describe('defect 6: focus goes somewhere meaningful', () => {
  test('Run test keeps focus on the button while and after it runs', async () => {
    let finish: (r: TestResult) => void = () => {};
    const onTest = vi.fn(() => new Promise<TestResult>((resolve) => (finish = resolve)));
    const screen = await editor({ defaultValue: valid, onTest });
    await screen.getByLabelText('Order number').fill('ORD-1');
    const run = screen.getByRole('button', { name: 'Run test' });
    await run.click();
    await expect.element(screen.getByRole('button', { name: 'Running…' })).toHaveFocus();
    finish(okTestResult);
    await expect.element(screen.getByRole('button', { name: 'Run test' })).toHaveFocus();
  });

  test('saving keeps focus on Save, and autoFocus puts it on the title when the editor opens', async () => {
    const screen = await editor({ defaultValue: valid, onSubmit: async () => {}, autoFocus: true });
    await expect.element(screen.getByRole('heading', { name: 'New action' })).toHaveFocus();
    await screen.getByRole('button', { name: 'Save action' }).click();
    await expect.element(screen.getByText('Saved.')).toBeVisible();
    expect(document.activeElement).not.toBe(document.body);
    expect(document.activeElement?.textContent).toBe('Save action');
  });
});

describe('defect 7: a result shown after a change is marked stale', () => {
  test('changing a value or the definition marks the result', async () => {
    const screen = await editor({ defaultValue: valid, onTest: async () => okTestResult });
    await screen.getByLabelText('Order number').fill('ORD-1');
    await screen.getByRole('button', { name: 'Run test' }).click();
    await expect.element(screen.getByText('200', { exact: true })).toBeVisible();
    expect(document.querySelector('[data-slot="stale"]')).toBeNull();
    await screen.getByLabelText('Order number').fill('ORD-2');
    await expect.element(screen.getByText(/Changed since this run/)).toBeVisible();
  });
});

describe('defect 9: sample identity fields are required, and say so once', () => {
  test('an empty sample user id blocks the run with one message', async () => {
    const onTest = vi.fn(async () => okTestResult);
    const screen = await editor({
      defaultValue: { ...valid, url: `${valid.url}?u={{identity.user_id}}`, requireVerifiedIdentity: true },
      onTest,
    });
    await screen.getByLabelText('Order number').fill('ORD-1');
    await screen.getByRole('button', { name: 'Run test' }).click();
    await expect.element(screen.getByLabelText('User id')).toHaveAttribute('aria-invalid', 'true');
    expect(onTest).not.toHaveBeenCalled();
    const field = screen.getByLabelText('User id').element().closest('[data-slot="field"]');
    expect(field?.querySelector('label')?.hasAttribute('data-required')).toBe(true);
    expect(field?.querySelectorAll('[data-slot="error"] p').length).toBe(1);
  });
});

describe('defect 11: a 3xx says redirects are never followed and shows Location', () => {
  test('302 with a Location', async () => {
    const redirect: TestResult = {
      ok: true,
      status: 302,
      headers: { location: 'https://login.example.com/next' },
      body: '',
      truncated: false,
      durationMs: 12,
    };
    const screen = await editor({ defaultValue: valid, onTest: async () => redirect });
    await screen.getByLabelText('Order number').fill('ORD-1');
    await screen.getByRole('button', { name: 'Run test' }).click();
    await expect.element(screen.getByText(/Redirects are never followed/)).toBeVisible();
    const redirectNote = screen.container.querySelector('[data-slot="redirect"]');
    expect(redirectNote?.textContent).toContain('https://login.example.com/next');
  });
});

describe('defect 12: long input is not cut silently; a description too short to act on is refused', () => {
  test('a 70-character identifier is kept and explained; a 1-character description is an error', async () => {
    const onSubmit = vi.fn();
    const screen = await editor({ defaultValue: valid, onSubmit });
    const long = 'a'.repeat(70);
    await screen.getByLabelText('Identifier').fill(long);
    await expect.element(screen.getByLabelText('Identifier')).toHaveValue(long);
    await expect.element(screen.getByText('Too long: at most 64 characters.')).toBeVisible();
    await screen.getByLabelText('Identifier').fill('lookup_order');
    await screen.getByLabelText('Description').fill('x');
    await expect.element(screen.getByLabelText('Description')).toHaveAttribute('aria-invalid', 'true');
    await screen.getByRole('button', { name: 'Save action' }).click();
    await expect.element(screen.getByRole('alert')).toHaveTextContent(/at least 10 characters/);
    expect(onSubmit).not.toHaveBeenCalled();
  });
});

describe('defect 10 (warning part): turning on an action that cannot work says why', () => {
  test('authenticated without a credential; identity required without identity setup', async () => {
    const screen = await editor({
      defaultValue: { ...valid, auth: { type: 'bearer' }, requireVerifiedIdentity: true, enabled: true },
      identitySetUp: false,
    });
    await expect.element(screen.getByText(/authenticates but has no credential/)).toBeVisible();
    await expect.element(screen.getByText(/no identity verification set up/)).toBeVisible();
    await screen.getByLabelText('Credential', { exact: true }).fill('tok_123456');
    await expect.element(screen.getByText(/authenticates but has no credential/)).not.toBeInTheDocument();
  });
});

describe('defect 13 (editor part): one heading per section, one style of add button', () => {
  test('the test section has one heading; Add header and Add parameter share their look', async () => {
    const screen = await editor({ defaultValue: valid, onTest: async () => okTestResult });
    expect(screen.container.querySelectorAll('h2, h3, h4').length).toBe(
      new Set(Array.from(screen.container.querySelectorAll('h2, h3, h4')).map((h) => h.textContent)).size,
    );
    const a = screen.getByRole('button', { name: 'Add header' }).element();
    const b = screen.getByRole('button', { name: 'Add parameter' }).element();
    expect(a.className).toBe(b.className);
    expect(a.getAttribute('data-variant')).toBe(b.getAttribute('data-variant'));
    // Both sit at the start at their own width (the header one used to stretch across its box).
    for (const button of [a, b]) {
      expect(button.getBoundingClientRect().width).toBeLessThan(
        (button.parentElement as HTMLElement).getBoundingClientRect().width / 2,
      );
    }
  });
});
