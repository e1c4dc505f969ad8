import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn } from 'storybook/test';
import { ConfirmationSettings } from './ConfirmationSettings';

const meta = {
  title: 'Editor/ConfirmationSettings',
  component: ConfirmationSettings,
  args: {
    method: 'POST',
    onConfirmationChange: fn(),
    onVisitorLabelChange: fn(),
  },
} satisfies Meta<typeof ConfirmationSettings>;
export default meta;
type Story = StoryObj<typeof meta>;

export const PostAsksByDefault: Story = {
  play: async ({ canvas }) => {
    await expect(
      canvas.getByRole('radio', { name: 'When the call changes something (recommended)' }),
    ).toBeChecked();
    await expect(canvas.getByText(/Before this POST call runs/)).toBeVisible();
  },
};

export const GetRunsWithoutAsking: Story = {
  args: { method: 'GET' },
  play: async ({ canvas, userEvent, args }) => {
    await expect(canvas.getByText('This GET call runs without asking the visitor.')).toBeVisible();
    await userEvent.click(canvas.getByRole('radio', { name: 'Always' }));
    await expect(args.onConfirmationChange).toHaveBeenLastCalledWith('always');
    await expect(canvas.getByText(/Before this GET call runs/)).toBeVisible();
  },
};

export const NeverWarnsForSideEffects: Story = {
  args: { method: 'DELETE', defaultConfirmation: 'never' },
  play: async ({ canvas }) => {
    const effect = canvas.getByText(/can change data in your system/);
    await expect(effect).toBeVisible();
    // The fieldset names the effect, so a screen reader hears it with the choices.
    await expect(
      canvas.getByRole('group', { name: /Ask the visitor to confirm/ }),
    ).toHaveAccessibleDescription(/without the visitor confirming/);
  },
};

export const VisitorLabel: Story = {
  play: async ({ canvas, userEvent, args }) => {
    const input = canvas.getByRole('textbox', { name: 'Label shown to the visitor' });
    await userEvent.type(input, 'Creating your ticket');
    await expect(args.onVisitorLabelChange).toHaveBeenLastCalledWith('Creating your ticket');
    await expect(input).toHaveAttribute('maxlength', '80');
  },
};

export const VisitorLabelError: Story = {
  args: {
    defaultVisitorLabel: '   ',
    visitorLabelErrors: ['Write what the visitor sees while this runs, or leave the label out.'],
  },
  play: async ({ canvas }) => {
    const input = canvas.getByRole('textbox', { name: 'Label shown to the visitor' });
    await expect(input).toHaveAttribute('aria-invalid', 'true');
    await expect(input).toHaveAccessibleDescription(/leave the label out/);
  },
};
