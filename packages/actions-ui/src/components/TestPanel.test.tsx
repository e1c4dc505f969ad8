import { type ActionDefinition, emptyAction, type TestResult } from '@aihio/actions-core';
import { describe, expect, test, vi } from 'vitest';
import { render } from 'vitest-browser-react';
import { axeViolations } from '../testing/axe';
import { createFakeBff, okTestResult } from '../testing/fake-bff';
import { KitFixture } from '../testing/KitFixture';
import { TestPanel } from './TestPanel';

const action: ActionDefinition = {
  ...emptyAction(),
  identifier: 'lookup_order',
  description: 'Look up an order.',
  url: 'https://api.example.com/orders/{{order_number}}?email={{email}}&user={{identity.user_id}}',
  requireVerifiedIdentity: true,
  parameters: [
    { name: 'order_number', label: 'Order number', type: 'text', required: true, hint: 'Such as ORD-123' },
    { name: 'email', label: 'Customer email', type: 'email', required: true },
  ],
};

function panel(bffOptions: Parameters<typeof createFakeBff>[0], definition: ActionDefinition = action) {
  const bff = createFakeBff(bffOptions);
  return {
    bff,
    screen: render(
      <KitFixture bff={bff}>
        <TestPanel chatbotId="bot_1" action={definition} />
      </KitFixture>,
    ),
  };
}

/** The visible error block's text (the live region repeats its first line for screen readers). */
function errorText(s: Awaited<ReturnType<typeof render>>): string {
  return s.container.querySelector('[data-slot="test-error"]')?.textContent ?? '';
}

async function fillAndRun(screen: Awaited<ReturnType<typeof render>>) {
  await screen.getByLabelText('Order number').fill('ORD-123');
  await screen.getByLabelText('Customer email').fill('ann@example.com');
  await screen.getByLabelText('User id').fill('u_42');
  await screen.getByRole('button', { name: 'Run test' }).click();
}

describe('TestPanel', () => {
  test('generates typed inputs, checks them by type, and sends nothing until they are valid', async () => {
    const { bff, screen: rendering } = panel({});
    const screen = await rendering;
    await expect.element(screen.getByLabelText('Customer email')).toHaveAttribute('type', 'email');
    await expect.element(screen.getByText('Such as ORD-123')).toBeVisible();
    await screen.getByLabelText('Customer email').fill('not an email');
    await screen.getByRole('button', { name: 'Run test' }).click();
    await expect.element(screen.getByText(/Enter an email address/)).toBeVisible();
    await expect.element(screen.getByLabelText('Order number')).toHaveAttribute('aria-invalid', 'true');
    expect(bff.calls.filter((c) => c.path.endsWith('/test'))).toHaveLength(0);
  });

  test('a successful run shows status, duration, headers and pretty JSON, with a raw view', async () => {
    const { bff, screen } = panel({});
    const s = await screen;
    await fillAndRun(s);
    await expect.element(s.getByText('200', { exact: true })).toBeVisible();
    await vi.waitFor(() =>
      expect(s.container.querySelector('[data-slot="duration"]')?.textContent).toBe('182 ms'),
    );
    await expect.element(s.getByText('x-request-id')).toBeInTheDocument();
    const pre = s.container.querySelector('[data-slot="body"]');
    expect(pre?.textContent).toContain('"status": "shipped"');
    await s.getByRole('button', { name: 'Raw' }).click();
    expect(s.container.querySelector('[data-slot="body"]')?.textContent).toBe(
      okTestResult.ok ? okTestResult.body : '',
    );
    const sent = bff.calls.find((c) => c.path.endsWith('/actions/test'));
    expect(sent?.body).toEqual({
      values: { order_number: 'ORD-123', email: 'ann@example.com' },
      identity: { user_id: 'u_42' },
      action,
    });
    expect(await axeViolations(s.container)).toEqual([]);
  });

  test('a truncated, non-JSON body says so and shows the raw text', async () => {
    const truncated: TestResult = {
      ok: true,
      status: 502,
      headers: {},
      body: '<html>bad gateway',
      truncated: true,
      durationMs: 40,
    };
    const s = await panel({ testResult: truncated }).screen;
    await fillAndRun(s);
    await expect.element(s.getByText(/only its beginning is shown/)).toBeVisible();
    expect(s.container.querySelector('[data-slot="body"]')?.textContent).toBe('<html>bad gateway');
    await expect.element(s.getByRole('button', { name: 'Raw' })).not.toBeInTheDocument();
  });

  const runErrors = [
    ['blocked_destination', /private, internal or metadata addresses/],
    ['timeout', /did not answer in time/],
    ['tls_failed', /TLS certificate could not be verified/],
    ['dns_failed', /host name cannot be called/],
    ['connect_failed', /could not be reached/],
    ['identity_unverified', /not verified|no visitor verified/],
  ] as const;
  test.each(runErrors)('a failed call (%s) is explained in plain language', async (code, explanation) => {
    const s = await panel({
      testResult: { ok: false, error: { code, message: `upstream said ${code}` }, durationMs: 12 },
    }).screen;
    await fillAndRun(s);
    await expect.element(s.getByRole('heading', { name: 'The call failed' })).toBeVisible();
    expect(errorText(s)).toMatch(explanation);
    await expect.element(s.getByText(`Error code: ${code}`)).toBeVisible();
  });

  test('invalid_arguments marks the fields the server rejected', async () => {
    const s = await panel({
      testResult: {
        ok: false,
        error: {
          code: 'invalid_arguments',
          message: 'Some values are not valid.',
          issues: [
            {
              code: 'value_path_segment',
              path: ['order_number'],
              message: 'This value cannot be a path segment.',
            },
          ],
        },
        durationMs: 1,
      },
    }).screen;
    await fillAndRun(s);
    await expect.element(s.getByText('Error code: invalid_arguments')).toBeVisible();
    expect(errorText(s)).toMatch(/Some test values are missing or not valid/);
    await expect.element(s.getByLabelText('Order number')).toHaveAttribute('aria-invalid', 'true');
  });

  test.each([
    ['rate_limited', /Too many requests/],
    ['plan_required', /Starter plan/],
  ] as const)('an API error (%s) before the call is shown the same way', async (code, explanation) => {
    const s = await panel({ failures: { test: { code } } }).screen;
    await fillAndRun(s);
    await expect.element(s.getByText(`Error code: ${code}`)).toBeVisible();
    expect(errorText(s)).toMatch(explanation);
  });

  test('an authenticated action asks for the credential, keeps it for the session, and forgets it on request', async () => {
    const bearer: ActionDefinition = { ...action, auth: { type: 'bearer' } };
    const { bff, screen } = panel({}, bearer);
    const s = await screen;
    await s.getByLabelText('Order number').fill('ORD-1');
    await s.getByLabelText('Customer email').fill('a@example.com');
    await s.getByLabelText('User id').fill('u_1');
    await s.getByRole('button', { name: 'Run test' }).click();
    await expect.element(s.getByText(/enter the credential/).first()).toBeVisible();
    await s.getByLabelText('Credential for this test').fill('tok_secret_9876');
    await s.getByRole('button', { name: 'Run test' }).click();
    await expect.element(s.getByText('200', { exact: true })).toBeVisible();
    expect(bff.calls.find((c) => c.path.endsWith('/test'))?.body).toMatchObject({
      credential: 'tok_secret_9876',
    });
    // Kept for the next run (issue 12, defect 8): memory only, never stored.
    await expect.element(s.getByLabelText('Credential for this test')).toHaveValue('tok_secret_9876');
    await s.getByRole('button', { name: 'Forget the test credential' }).click();
    await expect.element(s.getByLabelText('Credential for this test')).toHaveValue('');
    await expect.element(s.getByLabelText('Credential for this test')).toHaveFocus();
  });

  test('standalone: onRun replaces the BFF', async () => {
    const onRun = vi.fn(async () => okTestResult);
    const s = await render(
      <TestPanel action={{ ...action, url: 'https://api.example.com/x', parameters: [] }} onRun={onRun} />,
    );
    await expect.element(s.getByText('This action has no parameters.')).toBeVisible();
    await s.getByRole('button', { name: 'Run test' }).click();
    await vi.waitFor(() => expect(onRun).toHaveBeenCalledWith({ values: {}, identity: {} }));
  });
});
