import { actionListResponseSchema, routePath, type StoredAction } from '@aihio/actions-core';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CHATBOT_ID } from '../dev/seed';
import { captureScreen } from './screens';
import { openPage, type Stack, startStack } from './stack';

/**
 * The owner's whole journey on the demo dashboard, in Chromium, against the real BFF and the
 * sandbox upstream: create an action from scratch (fixing each validation error), test it,
 * store a Bearer token that is never shown again, see a private address blocked, toggle, delete.
 */

let stack: Stack;
let page: Page;
let pageErrors: string[];
const actionsPath = `/chatbots/${DEMO_CHATBOT_ID}/settings/actions`;

const field = (name: string) => page.locator(`[data-field="${name}"]`).first();

async function listActions(): Promise<StoredAction[]> {
  const res = await fetch(stack.bffUrl + routePath('actions', { chatbotId: DEMO_CHATBOT_ID }));
  return actionListResponseSchema.parse(await res.json()).actions;
}

async function expectFieldError(name: string, text: RegExp) {
  const input = field(name);
  await expect.poll(() => input.getAttribute('aria-invalid')).toBe('true');
  const described = (await input.getAttribute('aria-describedby')) ?? '';
  const messages = await Promise.all(
    described
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => page.locator(`[id="${id}"]`).textContent()),
  );
  expect(messages.join(' ')).toMatch(text);
}

async function expectFieldValid(name: string) {
  await expect.poll(() => field(name).getAttribute('aria-invalid')).not.toBe('true');
}

beforeAll(async () => {
  stack = await startStack();
  ({ page, errors: pageErrors } = await openPage(stack, 1280, 800));
});

afterAll(async () => {
  await stack?.stop();
});

describe('the demo dashboard, end to end', () => {
  it('opens Chatbots → Demo chatbot → Settings → Actions, on the empty list', async () => {
    await page.goto(stack.demoUrl);
    await page.getByRole('link', { name: /Demo chatbot/ }).waitFor();
    await captureScreen(page, 'chatbots');
    await page.getByRole('link', { name: /Demo chatbot/ }).click();
    await page.waitForURL(`**${actionsPath}`);
    await expect.poll(() => page.getByText('No actions yet').count()).toBe(1);
    await captureScreen(page, 'actions-empty');
  });

  it('creates an action from scratch: every validation error shown at its field, then fixed', async () => {
    await page.getByRole('button', { name: 'Add action' }).first().click();
    await page.waitForURL(`**${actionsPath}/new`);

    await field('identifier').fill('Lookup Order');
    await expectFieldError('identifier', /snake_case/i);
    await field('url').fill('http://127.0.0.1/orders/{{order_number}}');
    await expectFieldError('url', /https/i);
    await field('description').fill('   ');
    await page.getByRole('button', { name: 'Save action' }).click();
    await expectFieldError('description', /when/i);
    await captureScreen(page, 'editor-errors');

    await field('identifier').fill('lookup_order');
    await expectFieldValid('identifier');
    await field('description').fill("Look up a customer's order status by order number.");
    await expectFieldValid('description');
    await field('url').fill(`${stack.sandboxOrigin}/orders/{{order_number}}`);
    // A placeholder that is not a parameter yet.
    await expectFieldError('url', /order_number|parameter/i);

    await page.getByRole('button', { name: 'Add parameter' }).click();
    await field('parameters.0.name').fill('order_number');
    await field('parameters.0.label').fill('Order number');
    await field('parameters.0.hint').fill('Customer order number, such as ORD-123');
    await expectFieldValid('url');
    await expectFieldValid('parameters.0.name');
  });

  it('tests the draft against the sandbox and shows the response', async () => {
    const panel = page.locator('[data-slot="test-panel"]');
    await panel.getByLabel('Order number').fill('ORD-123');
    await panel.getByRole('button', { name: 'Run test' }).click();
    const status = panel.locator('[data-slot="status"]');
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toContain('200');
    expect(await panel.locator('[data-slot="body"]').textContent()).toContain('shipped');
    expect(stack.sandbox.requests.some((r) => r.path === '/orders/ORD-123')).toBe(true);
    await captureScreen(page, 'editor-test-result');
  });

  it('saves it, and the list shows it after a reload', async () => {
    await page.getByRole('button', { name: 'Save action' }).click();
    await expect.poll(async () => (await listActions()).map((a) => a.identifier)).toEqual(['lookup_order']);
    await page.goto(stack.demoUrl + actionsPath);
    await expect.poll(() => page.getByText('lookup_order').count()).toBeGreaterThan(0);
    await page.reload();
    await expect.poll(() => page.getByText('lookup_order').count()).toBeGreaterThan(0);
    await captureScreen(page, 'actions-list');
  });

  it('stores a Bearer token write-only: only its last 4 characters show, after save and after reload', async () => {
    const token = 'demo_e2e_secret_token_7Q4z';
    await page.getByRole('button', { name: 'Add action' }).first().click();
    await page.waitForURL(`**${actionsPath}/new`);
    await field('identifier').fill('create_ticket');
    await field('description').fill('Open a support ticket when the customer reports a problem.');
    await field('method').selectOption('POST');
    await field('url').fill(`${stack.sandboxOrigin}/tickets`);
    await page.getByRole('button', { name: 'Add parameter' }).click();
    await field('parameters.0.name').fill('subject');
    await field('parameters.0.label').fill('Subject');
    await page.getByRole('button', { name: 'Add header' }).click();
    await field('headers.0.name').fill('Content-Type');
    await field('headers.0.value').fill('application/json');
    await field('body').fill('{"subject": "{{subject}}", "message": "from the e2e test"}');
    await page.getByRole('radio', { name: 'Bearer token' }).check();
    await field('credential').fill(token);
    await page.getByRole('button', { name: 'Save action' }).click();

    const masked = page.locator('.aihio-masked');
    await expect.poll(() => masked.textContent(), { timeout: 15_000 }).toContain('7Q4z');
    expect(await page.content()).not.toContain(token);
    await page.reload();
    await expect.poll(() => masked.textContent(), { timeout: 15_000 }).toContain('7Q4z');
    expect(await page.content()).not.toContain(token);
    const stored = (await listActions()).find((a) => a.identifier === 'create_ticket');
    expect(stored?.credential).toEqual({ last4: '7Q4z' });
    expect(JSON.stringify(stored)).not.toContain(token);
    await captureScreen(page, 'editor-credential-saved');

    // The saved action's run history starts empty.
    const history = page.locator('[data-slot="run-history"]');
    await expect.poll(() => history.getAttribute('data-state'), { timeout: 15_000 }).toBe('empty');

    // Testing an authenticated action needs the credential entered for the one call.
    const panel = page.locator('[data-slot="test-panel"]');
    await panel.getByLabel('Subject').fill('Broken lamp');
    await panel.getByLabel('Credential for this test').fill(token);
    await panel.getByRole('button', { name: 'Run test' }).click();
    await expect
      .poll(() => panel.locator('[data-slot="status"]').textContent(), { timeout: 15_000 })
      .toContain('201');
    expect(stack.sandbox.requests.at(-1)?.headers.authorization).toBe(`Bearer ${token}`);
    expect(stack.bffOutput()).not.toContain(token);

    // The test run lands in the history at once: a test, HTTP 201, and nothing of what was sent.
    const runs = history.locator('[data-slot="run"]');
    await expect.poll(() => runs.count(), { timeout: 15_000 }).toBe(1);
    expect(await runs.first().locator('[data-slot="status"]').textContent()).toBe('HTTP 201');
    expect(await runs.first().locator('[data-slot="source"]').textContent()).toBe('Test');
    const historyText = (await history.textContent()) ?? '';
    expect(historyText).not.toContain('Broken lamp');
    expect(historyText).not.toContain(token);
    await captureScreen(page, 'editor-run-history');
  });

  it('explains a blocked private address', async () => {
    await page.goto(`${stack.demoUrl}${actionsPath}/new`);
    await field('identifier').fill('internal_probe');
    await field('description').fill('Tries an internal address.');
    await field('url').fill('https://10.0.0.5/x');
    const panel = page.locator('[data-slot="test-panel"]');
    await panel.getByRole('button', { name: 'Run test' }).click();
    const error = panel.locator('[data-slot="test-error"]');
    await expect.poll(() => error.getAttribute('data-code'), { timeout: 15_000 }).toBe('blocked_destination');
    expect(await error.textContent()).toMatch(/private, internal or metadata addresses/);
    await captureScreen(page, 'editor-test-blocked');
  });

  it('turns an action off and on from the list, and it stays so after a reload', async () => {
    await page.goto(stack.demoUrl + actionsPath);
    const toggle = page.getByRole('switch', { name: 'Enable lookup_order' });
    await expect.poll(() => toggle.getAttribute('aria-checked')).toBe('true');
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-checked')).toBe('false');
    await expect
      .poll(async () => (await listActions()).find((a) => a.identifier === 'lookup_order')?.enabled)
      .toBe(false);
    await page.reload();
    await expect.poll(() => toggle.getAttribute('aria-checked')).toBe('false');
    await toggle.click();
    await expect
      .poll(async () => (await listActions()).find((a) => a.identifier === 'lookup_order')?.enabled)
      .toBe(true);
  });

  it('deletes an action after a confirmation', async () => {
    await page.getByRole('button', { name: 'Delete lookup_order' }).click();
    const dialog = page.getByRole('alertdialog').or(page.getByRole('dialog'));
    await expect.poll(() => dialog.textContent()).toContain('Delete lookup_order?');
    // A modal dims the host page behind it; an opaque overlay would blank the whole dashboard.
    const overlay = await page
      .locator('[data-slot="dialog-overlay"]')
      .evaluate((el) => getComputedStyle(el).backgroundColor);
    await captureScreen(page, 'actions-delete-dialog');
    await dialog.getByRole('button', { name: 'Delete action' }).click();
    await expect.poll(async () => (await listActions()).map((a) => a.identifier)).toEqual(['create_ticket']);
    await page.reload();
    await expect.poll(() => page.getByText('create_ticket').count()).toBeGreaterThan(0);
    expect(await page.getByText('lookup_order').count()).toBe(0);
    expect(overlay, 'the dialog overlay is translucent').toMatch(/^rgba\(\d+, \d+, \d+, 0?\.\d+\)$/);
  });

  describe('on a phone screen (390×844): no overlap, overflow or clipping', () => {
    let phone: Awaited<ReturnType<typeof openPage>>;
    beforeAll(async () => {
      phone = await openPage(stack, 390, 844);
    });
    afterAll(async () => {
      expect(phone.errors).toEqual([]);
      await phone.page.context().close();
    });

    it('the list', async () => {
      await phone.page.goto(stack.demoUrl + actionsPath);
      await expect.poll(() => phone.page.getByText('create_ticket').count()).toBeGreaterThan(0);
      await captureScreen(phone.page, 'actions-list');
    });

    it('the editor with errors', async () => {
      await phone.page.getByRole('button', { name: 'Add action' }).first().click();
      await phone.page.waitForURL(`**${actionsPath}/new`);
      await phone.page.locator('[data-field="identifier"]').fill('Not Snake');
      await captureScreen(phone.page, 'editor-errors');
    });

    it('the editor of an action with parameters and a stored credential, and its test result', async () => {
      const ticket = (await listActions()).find((a) => a.identifier === 'create_ticket')!;
      await phone.page.goto(`${stack.demoUrl}${actionsPath}/${ticket.id}`);
      await expect.poll(() => phone.page.locator('.aihio-masked').count()).toBe(1);
      const panel = phone.page.locator('[data-slot="test-panel"]');
      await panel.getByLabel('Subject').fill('Cracked screen');
      await panel.getByLabel('Credential for this test').fill('demo_phone_token_1234');
      await panel.getByRole('button', { name: 'Run test' }).click();
      await expect
        .poll(() => panel.locator('[data-slot="status"]').textContent(), { timeout: 15_000 })
        .toContain('201');
      // The history, stacked on a phone, has this run on top of the earlier one.
      const runs = phone.page.locator('[data-slot="run-history"] [data-slot="run"]');
      await expect.poll(() => runs.count(), { timeout: 15_000 }).toBe(2);
      expect(await runs.first().locator('[data-slot="status"]').textContent()).toBe('HTTP 201');
      await captureScreen(phone.page, 'editor-test-result');
    });
  });

  it('raised no uncaught error in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
