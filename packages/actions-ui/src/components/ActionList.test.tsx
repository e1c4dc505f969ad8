import { describe, expect, test, vi } from 'vitest';
import { userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-react';
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
    const toggle = s.getByRole('switch', { name: 'Enable book_time' });
    await toggle.click();
    await expect.element(toggle).toHaveAttribute('aria-checked', 'true');
    await vi.waitFor(() =>
      expect(bff.actions().find((a) => a.identifier === 'book_time')?.enabled).toBe(true),
    );
    await expect.element(toggle).toHaveAttribute('aria-checked', 'true');
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
