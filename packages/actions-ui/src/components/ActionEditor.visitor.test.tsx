import { type ActionDefinition, emptyAction } from '@aihio/actions-core';
import { describe, expect, test, vi } from 'vitest';
import { render } from 'vitest-browser-react';
import { KitFixture } from '../testing/KitFixture';
import { ActionEditor } from './ActionEditor';

const ticket: ActionDefinition = {
  ...emptyAction(),
  identifier: 'create_ticket',
  description: 'Open a support ticket.',
  method: 'POST',
  url: 'https://api.example.com/tickets',
  headers: [{ name: 'Content-Type', value: 'application/json' }],
  body: '{"subject":"{{subject}}"}',
  parameters: [{ name: 'subject', label: 'Subject', type: 'text', required: true }],
};

function editor(props: Parameters<typeof ActionEditor>[0]) {
  return render(
    <KitFixture>
      <ActionEditor guardUnload={false} {...props} />
    </KitFixture>,
  );
}

describe('ActionEditor: what the visitor sees', () => {
  test('saves the visitor label and who confirms; an older action without them saves unchanged', async () => {
    const onSubmit = vi.fn<(definition: ActionDefinition) => void>();
    const screen = await editor({ defaultValue: ticket, onSubmit });
    await expect
      .element(screen.getByRole('radio', { name: 'When the call changes something (recommended)' }))
      .toBeChecked();
    await expect.element(screen.getByText(/Before this POST call runs/)).toBeVisible();

    await screen.getByRole('button', { name: 'Save action' }).click();
    await vi.waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    // Absent stays absent: it means `auto`.
    expect(onSubmit.mock.calls[0]?.[0]).toEqual(ticket);

    await screen
      .getByRole('textbox', { name: 'Label shown to the visitor' })
      .fill('Opening a support ticket');
    await screen.getByRole('radio', { name: 'Never' }).click();
    await expect.element(screen.getByText(/without the visitor confirming/)).toBeVisible();
    await screen.getByRole('button', { name: 'Save action' }).click();
    await vi.waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(2));
    expect(onSubmit.mock.calls[1]?.[0]).toEqual({
      ...ticket,
      visitorLabel: 'Opening a support ticket',
      confirmation: 'never',
    });
  });

  test('a blank visitor label is refused at its field on save', async () => {
    const onSubmit = vi.fn();
    const screen = await editor({ defaultValue: { ...ticket, visitorLabel: '   ' }, onSubmit });
    await screen.getByRole('button', { name: 'Save action' }).click();
    const input = screen.getByRole('textbox', { name: 'Label shown to the visitor' });
    await expect.element(input).toHaveAttribute('aria-invalid', 'true');
    await expect.element(input).toHaveAccessibleDescription(/or leave the label out/);
    expect(onSubmit).not.toHaveBeenCalled();
  });
});
