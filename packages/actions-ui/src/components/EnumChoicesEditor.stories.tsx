import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn } from 'storybook/test';
import { withKit } from '../testing/story-helpers';
import { EnumChoicesEditor } from './EnumChoicesEditor';

const meta = {
  title: 'Editor/EnumChoicesEditor',
  component: EnumChoicesEditor,
  args: { id: 'status-choices', name: 'status', onValueChange: fn() },
  decorators: [withKit()],
} satisfies Meta<typeof EnumChoicesEditor>;
export default meta;
type Story = StoryObj<typeof meta>;

/** A new enum parameter: no choices yet; Enter adds one (and does not submit the editor's form). */
export const Empty: Story = {
  args: { defaultValue: [] },
  play: async ({ canvas, userEvent, args }) => {
    const input = canvas.getByRole('textbox', { name: 'Add a choice to status' });
    await userEvent.type(input, '  open {Enter}');
    await expect(args.onValueChange).toHaveBeenLastCalledWith(['open']);
    await expect(input).toHaveValue('');
    await userEvent.type(input, 'on hold');
    await userEvent.click(canvas.getByRole('button', { name: 'Add' }));
    await expect(args.onValueChange).toHaveBeenLastCalledWith(['open', 'on hold']);
    await expect(canvas.getByRole('list', { name: 'Choices of status' })).toHaveTextContent(/open.*on hold/);
  },
};

/** A repeated or blank choice is not added; a repeat says why. */
export const RefusesRepeats: Story = {
  args: { defaultValue: ['open', 'closed'] },
  play: async ({ canvas, userEvent, args }) => {
    const input = canvas.getByRole('textbox', { name: 'Add a choice to status' });
    await userEvent.type(input, '   {Enter}');
    await userEvent.type(input, 'open{Enter}');
    await expect(args.onValueChange).not.toHaveBeenCalled();
    await expect(input).toHaveAccessibleDescription('“open” is already a choice.');
    await expect(input).toHaveAttribute('aria-invalid', 'true');
  },
};

export const Remove: Story = {
  args: { defaultValue: ['open', 'closed', 'on hold'] },
  play: async ({ canvas, userEvent, args }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Remove choice closed' }));
    await expect(args.onValueChange).toHaveBeenLastCalledWith(['open', 'on hold']);
  },
};

/** The core's rule, reported by `validateAction` and shown under the list. */
export const WithErrors: Story = {
  args: {
    defaultValue: [],
    errors: ['Add at least one choice the agent can pick from.'],
  },
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('textbox', { name: 'Add a choice to status' })).toHaveAccessibleDescription(
      'Add at least one choice the agent can pick from.',
    );
  },
};

export const Finnish: Story = {
  args: { defaultValue: ['auki', 'suljettu'], name: 'tila' },
  decorators: [withKit({}, { locale: 'fi' })],
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('button', { name: 'Poista vaihtoehto auki' })).toBeVisible();
  },
};
