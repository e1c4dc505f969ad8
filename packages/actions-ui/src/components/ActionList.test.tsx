import { describe, expect, test, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-react';
import '../styles.css';
import { axeViolations } from '../testing/axe';
import { createFakeBff, storedAction } from '../testing/fake-bff';
import { KitFixture } from '../testing/KitFixture';
import { ActionList } from './ActionList';

const actions = [
  storedAction(
    { identifier: 'lookup_order' },
    { lastRun: { at: '2026-11-20T09:30:00.000Z', source: 'agent', outcome: 'ok', httpStatus: 200 } },
  ),
  storedAction({ identifier: 'book_time', enabled: false, auth: { type: 'bearer' } }),
];

function list(
  options: Parameters<typeof createFakeBff>[0],
  props: Partial<Parameters<typeof ActionList>[0]> = {},
) {
  const bff = createFakeBff(options);
  return {
    bff,
    screen: render(
      <KitFixture bff={bff}>
        <ActionList chatbotId="bot_1" onAdd={() => {}} {...props} />
      </KitFixture>,
    ),
  };
}

describe('ActionList', () => {
  test('lists actions with status, last run and a missing-credential warning', async () => {
    const onEdit = vi.fn();
    const s = await list({ actions }, { onEdit }).screen;
    await expect.element(s.getByText('lookup_order')).toBeVisible();
    await expect.element(s.getByText(/OK · HTTP 200/)).toBeVisible();
    await expect.element(s.getByText('Never run', { exact: false })).toBeVisible();
    await expect.element(s.getByText('Credential missing')).toBeVisible();
    await expect
      .element(s.getByRole('switch', { name: 'Enable lookup_order' }))
      .toHaveAttribute('aria-checked', 'true');
    await s.getByRole('button', { name: 'Edit book_time' }).click();
    expect(onEdit).toHaveBeenCalledWith(expect.objectContaining({ identifier: 'book_time' }));
    expect(await axeViolations(s.container)).toEqual([]);
  });

  test('the toggle flips at once and stays when the server agrees', async () => {
    const { bff, screen } = list({ actions, delayMs: 150 });
    const s = await screen;
    const toggle = s.getByRole('switch', { name: 'Enable lookup_order' });
    await toggle.click();
    await expect.element(toggle).toHaveAttribute('aria-checked', 'false');
    await vi.waitFor(() =>
      expect(bff.actions().find((a) => a.identifier === 'lookup_order')?.enabled).toBe(false),
    );
    await expect.element(toggle).toHaveAttribute('aria-checked', 'false');
  });

  test('turning on an action without its credential asks first; Cancel sends nothing', async () => {
    const { bff, screen } = list({ actions });
    const s = await screen;
    const toggle = s.getByRole('switch', { name: 'Enable book_time' });
    await toggle.click();
    const dialog = s.getByRole('alertdialog', { name: 'Turn on book_time?' });
    await expect.element(dialog).toHaveTextContent(/no credential is stored/);
    await s.getByRole('button', { name: 'Cancel' }).click();
    await expect.element(toggle).toHaveAttribute('aria-checked', 'false');
    expect(bff.calls.filter((c) => c.path.endsWith('/enabled'))).toEqual([]);
    await toggle.click();
    await s.getByRole('button', { name: 'Turn on anyway' }).click();
    await vi.waitFor(() =>
      expect(bff.actions().find((a) => a.identifier === 'book_time')?.enabled).toBe(true),
    );
  });

  test('an identity-requiring action on a chatbot without an identity secret is flagged and asks before it is turned on', async () => {
    const needsIdentity = storedAction({
      identifier: 'my_orders',
      url: 'https://api.example.com/customers/{{identity.user_id}}/orders',
      requireVerifiedIdentity: true,
      enabled: false,
    });
    const s = await list({ actions: [needsIdentity], identitySecret: null }).screen;
    await expect.element(s.getByText('Verified identity')).toBeVisible();
    await expect.element(s.getByText('Identity not set up')).toBeVisible();
    await s.getByRole('switch', { name: 'Enable my_orders' }).click();
    await expect
      .element(s.getByRole('alertdialog', { name: 'Turn on my_orders?' }))
      .toHaveTextContent(/no identity secret/);
  });

  test('with the identity secret set up, the same action turns on without a question', async () => {
    const needsIdentity = storedAction({
      identifier: 'my_orders',
      requireVerifiedIdentity: true,
      enabled: false,
    });
    const { bff, screen } = list({ actions: [needsIdentity], identitySecret: { last4: 'WXYZ' } });
    const s = await screen;
    await expect.element(s.getByText('Verified identity')).toBeVisible();
    await expect.element(s.getByText('Identity not set up')).not.toBeInTheDocument();
    await s.getByRole('switch', { name: 'Enable my_orders' }).click();
    await vi.waitFor(() => expect(bff.actions()[0]?.enabled).toBe(true));
  });

  test('the last run: only a 2xx is OK, a 3xx is a redirect not followed, error codes read as text', async () => {
    const at = '2026-11-20T09:30:00.000Z';
    const runs = [
      storedAction(
        { identifier: 'ok_run' },
        { lastRun: { at, source: 'agent', outcome: 'ok', httpStatus: 204 } },
      ),
      storedAction(
        { identifier: 'unauth' },
        { lastRun: { at, source: 'agent', outcome: 'ok', httpStatus: 401 } },
      ),
      storedAction(
        { identifier: 'server' },
        { lastRun: { at, source: 'test', outcome: 'ok', httpStatus: 503 } },
      ),
      storedAction(
        { identifier: 'moved' },
        { lastRun: { at, source: 'test', outcome: 'ok', httpStatus: 302 } },
      ),
      storedAction(
        { identifier: 'no_cred', auth: { type: 'bearer' } },
        { lastRun: { at, source: 'agent', outcome: 'credential_missing', httpStatus: null } },
      ),
    ];
    const s = await list({ actions: runs }).screen;
    const row = (identifier: string) => s.getByRole('listitem').filter({ hasText: identifier });
    await expect.element(row('ok_run')).toHaveTextContent(/OK · HTTP 204/);
    await expect.element(row('unauth')).toHaveTextContent(/Failed · HTTP 401/);
    await expect.element(row('server')).toHaveTextContent(/Failed · HTTP 503/);
    await expect.element(row('moved')).toHaveTextContent(/Redirect not followed · HTTP 302/);
    await expect
      .element(row('no_cred'))
      .toHaveTextContent(/Failed: This action uses authentication, but no credential is stored for it\./);
    expect(s.container.textContent).not.toMatch(/OK · HTTP (401|503|302)/);
    expect(s.container.textContent).not.toContain('credential_missing');
  });

  test('the delete dialog mentions a stored credential only when there is one', async () => {
    const withCredential = storedAction(
      { identifier: 'keyed', auth: { type: 'bearer' } },
      { credential: { last4: '1234' } },
    );
    const s = await list({ actions: [...actions, withCredential] }).screen;
    await s.getByRole('button', { name: 'Delete lookup_order' }).click();
    const plain = s.getByRole('alertdialog', { name: 'Delete lookup_order?' });
    await expect.element(plain).not.toHaveTextContent(/credential/);
    await s.getByRole('button', { name: 'Cancel' }).click();
    await s.getByRole('button', { name: 'Delete keyed' }).click();
    await expect
      .element(s.getByRole('alertdialog', { name: 'Delete keyed?' }))
      .toHaveTextContent(/its stored credential is deleted/);
  });

  test('at 390 px a warning badge never squashes the switch (its thumb stays inside)', async () => {
    const bff = createFakeBff({ actions });
    const s = await render(
      <div style={{ width: 358 }}>
        <KitFixture bff={bff}>
          <ActionList chatbotId="bot_1" onAdd={() => {}} onEdit={() => {}} />
        </KitFixture>
      </div>,
    );
    const toggle = s.getByRole('switch', { name: 'Enable book_time' });
    await expect.element(s.getByText('Credential missing')).toBeVisible();
    const box = toggle.element().getBoundingClientRect();
    expect(Math.round(box.width)).toBe(40);
    const thumb = toggle.element().querySelector('[data-slot="switch-thumb"]')!.getBoundingClientRect();
    expect(thumb.left).toBeGreaterThanOrEqual(box.left);
    expect(thumb.right).toBeLessThanOrEqual(box.right);
    for (const row of s.container.querySelectorAll('li')) {
      const rowBox = row.getBoundingClientRect();
      for (const control of row.querySelectorAll('button, [data-slot="badge"]')) {
        expect(control.getBoundingClientRect().right).toBeLessThanOrEqual(rowBox.right + 0.5);
      }
    }
  });

  test('the toggle rolls back and explains when the server refuses', async () => {
    const s = await list({ actions, failures: { enabled: { code: 'forbidden' } } }).screen;
    const toggle = s.getByRole('switch', { name: 'Enable lookup_order' });
    await toggle.click();
    await expect.element(s.getByRole('alert')).toHaveTextContent(/Your role does not allow this change/);
    await expect.element(toggle).toHaveAttribute('aria-checked', 'true');
  });

  test('delete asks in a dialog (focus on Cancel), Escape keeps the action, confirming removes it', async () => {
    const onDeleted = vi.fn();
    const { bff, screen } = list({ actions }, { onDeleted });
    const s = await screen;
    const button = s.getByRole('button', { name: 'Delete lookup_order' });
    await button.click();
    const dialog = s.getByRole('alertdialog', { name: 'Delete lookup_order?' });
    await expect.element(dialog).toBeVisible();
    await expect.element(s.getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await userEvent.keyboard('{Escape}');
    await expect.element(dialog).not.toBeInTheDocument();
    await expect.element(button).toHaveFocus();
    await button.click();
    await s.getByRole('button', { name: 'Delete action' }).click();
    await expect.element(s.getByText('lookup_order')).not.toBeInTheDocument();
    expect(bff.actions().map((a) => a.identifier)).toEqual(['book_time']);
    expect(onDeleted).toHaveBeenCalledWith('act_lookup_order');
  });

  test('empty, error and plan-gated states', async () => {
    const empty = await list({ actions: [] }).screen;
    await expect.element(empty.getByText('No actions yet')).toBeVisible();
    await empty.unmount();

    const failing = await list({ failures: { list: { code: 'unavailable' } } }).screen;
    await expect.element(failing.getByRole('alert')).toHaveTextContent(/temporarily unavailable/);
    await failing.unmount();

    const gated = await list({ plan: 'free' }, { upgradeUrl: 'https://example.com/plans' }).screen;
    await expect.element(gated.getByText('Upgrade to use custom HTTP actions')).toBeVisible();
    await expect.element(gated.getByText('Your workspace is on the Free plan.')).toBeVisible();
    await expect
      .element(gated.getByRole('link', { name: 'See plans' }))
      .toHaveAttribute('href', 'https://example.com/plans');
    await expect.element(gated.getByRole('button', { name: 'Add action' })).not.toBeInTheDocument();
    expect(await axeViolations(gated.container)).toEqual([]);
  });

  test('Finnish, with a host override', async () => {
    const bff = createFakeBff({ actions: [] });
    const s = await render(
      <KitFixture bff={bff} locale="fi" messages={{ 'list.add': 'Uusi toiminto' }}>
        <ActionList chatbotId="bot_1" onAdd={() => {}} />
      </KitFixture>,
    );
    await expect.element(s.getByText('Ei vielä toimintoja')).toBeVisible();
    await expect.element(s.getByRole('button', { name: 'Uusi toiminto' })).toBeVisible();
  });
});
