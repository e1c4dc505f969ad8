import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, screen, waitFor } from 'storybook/test';
import { storedAction } from '../testing/fake-bff';
import { withKit } from '../testing/story-helpers';
import { ActionList } from './ActionList';

const actions = [
  storedAction(
    { identifier: 'lookup_order' },
    { lastRun: { at: '2026-11-20T09:30:00.000Z', source: 'agent', outcome: 'ok', httpStatus: 200 } },
  ),
  storedAction(
    {
      identifier: 'book_time',
      method: 'POST',
      enabled: false,
      auth: { type: 'bearer' },
      description: 'Book a meeting time.',
    },
    { lastRun: { at: '2026-11-19T14:02:00.000Z', source: 'test', outcome: 'timeout', httpStatus: null } },
  ),
  storedAction(
    {
      identifier: 'open_ticket',
      method: 'POST',
      auth: { type: 'api_key', headerName: 'X-Api-Key' },
      description: 'Open a support ticket.',
    },
    { credential: { last4: '7c1e' } },
  ),
];

const meta = {
  title: 'Dashboard/ActionList',
  component: ActionList,
  args: {
    chatbotId: 'bot_1',
    onAdd: fn(),
    onEdit: fn(),
    onDeleted: fn(),
    upgradeUrl: 'https://example.com/pricing',
  },
  decorators: [withKit({ actions })],
} satisfies Meta<typeof ActionList>;
export default meta;
type Story = StoryObj<typeof meta>;

export const Filled: Story = {
  play: async ({ canvas, userEvent, args }) => {
    await expect(await canvas.findByText('lookup_order')).toBeVisible();
    await expect(canvas.getByText('Credential missing')).toBeVisible();
    await userEvent.click(canvas.getByRole('button', { name: 'Edit open_ticket' }));
    await expect(args.onEdit).toHaveBeenCalledWith(expect.objectContaining({ identifier: 'open_ticket' }));
    await userEvent.click(canvas.getByRole('button', { name: 'Add action' }));
    await expect(args.onAdd).toHaveBeenCalledTimes(1);
  },
};

export const ToggleOptimistic: Story = {
  decorators: [withKit({ actions, delayMs: 300 })],
  play: async ({ canvas, userEvent }) => {
    const toggle = await canvas.findByRole('switch', { name: 'Enable book_time' });
    await userEvent.click(toggle);
    // Flipped before the server answered.
    await expect(toggle).toHaveAttribute('aria-checked', 'true');
  },
};

export const ToggleRollsBack: Story = {
  decorators: [withKit({ actions, failures: { enabled: { code: 'forbidden' } } })],
  play: async ({ canvas, userEvent }) => {
    const toggle = await canvas.findByRole('switch', { name: 'Enable lookup_order' });
    await userEvent.click(toggle);
    await expect(await canvas.findByRole('alert')).toHaveTextContent(/Your role does not allow this change/);
    await waitFor(() => expect(toggle).toHaveAttribute('aria-checked', 'true'));
  },
};

export const DeleteConfirm: Story = {
  play: async ({ canvas, userEvent, args }) => {
    await userEvent.click(await canvas.findByRole('button', { name: 'Delete book_time' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Delete book_time?' });
    await expect(dialog).toHaveTextContent(/cannot be undone/);
    await userEvent.click(screen.getByRole('button', { name: 'Delete action' }));
    await waitFor(() => expect(args.onDeleted).toHaveBeenCalledWith('act_book_time'));
    await waitFor(() => expect(canvas.queryByText('book_time')).toBeNull());
  },
};

export const Empty: Story = {
  decorators: [withKit({ actions: [] })],
  play: async ({ canvas }) => {
    await expect(await canvas.findByText('No actions yet')).toBeVisible();
  },
};

export const Loading: Story = {
  decorators: [withKit({ actions, hang: ['list'] })],
  play: async ({ canvas }) => {
    await expect(canvas.getByText('Loading actions…')).toBeVisible();
  },
};

export const LoadError: Story = {
  decorators: [withKit({ failures: { list: { code: 'unavailable' } } })],
  play: async ({ canvas }) => {
    await expect(await canvas.findByRole('alert')).toHaveTextContent(/temporarily unavailable/);
  },
};

export const PlanRequired: Story = {
  decorators: [withKit({ plan: 'free' })],
  play: async ({ canvas }) => {
    await expect(await canvas.findByText('Upgrade to use custom HTTP actions')).toBeVisible();
    await expect(canvas.getByRole('link', { name: 'See plans' })).toHaveAttribute(
      'href',
      'https://example.com/pricing',
    );
  },
};

export const Finnish: Story = {
  decorators: [withKit({ actions }, { locale: 'fi' })],
  play: async ({ canvas }) => {
    await expect(await canvas.findByRole('button', { name: 'Lisää toiminto' })).toBeVisible();
  },
};

export const Dark: Story = {
  decorators: [withKit({ actions }, { theme: 'dark' })],
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(canvasElement.querySelector('[data-theme="dark"]')).not.toBeNull());
  },
};
