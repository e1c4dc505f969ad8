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
    {
      credential: { last4: '7c1e' },
      lastRun: { at: '2026-11-20T08:15:00.000Z', source: 'agent', outcome: 'ok', httpStatus: 401 },
    },
  ),
  storedAction({
    identifier: 'my_orders',
    description: 'List the signed-in visitor’s recent orders.',
    url: 'https://api.example.com/customers/{{identity.user_id}}/orders',
    requireVerifiedIdentity: true,
  }),
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

/** Each row's badges and last run, in words: a 401 is not OK, an error code is explained. */
export const RowDetails: Story = {
  play: async ({ canvas }) => {
    await expect(await canvas.findByText(/Failed · HTTP 401/)).toBeVisible();
    await expect(canvas.queryByText(/OK · HTTP 401/)).toBeNull();
    await expect(canvas.getByText(/Failed: Your endpoint did not answer in time/)).toBeVisible();
    await expect(canvas.queryByText(/Failed: timeout/)).toBeNull();
    await expect(canvas.getByText('API key')).toBeVisible();
    await expect(canvas.getByText('Verified identity')).toBeVisible();
    await expect(await canvas.findByText('Identity not set up')).toBeVisible();
  },
};

export const ToggleOptimistic: Story = {
  decorators: [withKit({ actions, delayMs: 300 })],
  play: async ({ canvas, userEvent }) => {
    const toggle = await canvas.findByRole('switch', { name: 'Enable lookup_order' });
    await userEvent.click(toggle);
    // Flipped before the server answered.
    await expect(toggle).toHaveAttribute('aria-checked', 'false');
  },
};

/** Turning on an action that cannot work yet (no credential) asks first; Cancel leaves it off. */
export const EnableWithoutCredential: Story = {
  play: async ({ canvas, userEvent }) => {
    const toggle = await canvas.findByRole('switch', { name: 'Enable book_time' });
    await userEvent.click(toggle);
    const dialog = await screen.findByRole('alertdialog', { name: 'Turn on book_time?' });
    await expect(dialog).toHaveTextContent(/no credential is stored/);
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await expect(toggle).toHaveAttribute('aria-checked', 'false');
    await userEvent.click(toggle);
    await userEvent.click(await screen.findByRole('button', { name: 'Turn on anyway' }));
    await waitFor(() => expect(toggle).toHaveAttribute('aria-checked', 'true'));
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
    // book_time has no stored credential, so there is none to delete.
    await expect(dialog).not.toHaveTextContent(/credential/);
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
    await expect(await canvas.findByText('Your workspace is on the Free plan.')).toBeVisible();
    await expect(canvas.queryByRole('button', { name: 'Add action' })).toBeNull();
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

/** A phone-width row: badges wrap, and the switch keeps its size with its thumb inside (defect 3). */
export const Phone: Story = {
  decorators: [
    (Story) => (
      <div style={{ width: 358 }}>
        <Story />
      </div>
    ),
  ],
  play: async ({ canvas }) => {
    const toggle = await canvas.findByRole('switch', { name: 'Enable book_time' });
    const box = toggle.getBoundingClientRect();
    await expect(Math.round(box.width)).toBe(40);
    const thumb = toggle.querySelector('[data-slot="switch-thumb"]')!.getBoundingClientRect();
    await expect(thumb.left).toBeGreaterThanOrEqual(box.left);
    await expect(thumb.right).toBeLessThanOrEqual(box.right);
    // Nothing in a row sticks out of it.
    for (const row of canvas.getAllByRole('listitem')) {
      const rowBox = row.getBoundingClientRect();
      for (const control of row.querySelectorAll('button, [data-slot="badge"]')) {
        const r = control.getBoundingClientRect();
        await expect(r.right).toBeLessThanOrEqual(rowBox.right + 0.5);
        await expect(r.left).toBeGreaterThanOrEqual(rowBox.left - 0.5);
      }
    }
  },
};

export const Dark: Story = {
  decorators: [withKit({ actions }, { theme: 'dark' })],
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(canvasElement.querySelector('[data-theme="dark"]')).not.toBeNull());
  },
};
