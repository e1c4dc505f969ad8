import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, screen } from 'storybook/test';
import { GdprNotice } from './GdprNotice';

const meta = {
  title: 'Editor/GdprNotice',
  component: GdprNotice,
  args: {
    identityFields: ['email', 'name'],
    requireVerifiedIdentity: false,
    onRequireVerifiedIdentity: fn(),
  },
} satisfies Meta<typeof GdprNotice>;
export default meta;
type Story = StoryObj<typeof meta>;

export const RequireVerifiedIdentityMissing: Story = {
  play: async ({ canvas, userEvent, args }) => {
    await expect(canvas.getByRole('alert')).toHaveTextContent(/Require verified identity/);
    await userEvent.click(canvas.getByRole('button', { name: 'Require verified identity' }));
    await expect(args.onRequireVerifiedIdentity).toHaveBeenCalledTimes(1);
  },
};

export const Verified: Story = {
  args: { requireVerifiedIdentity: true },
  play: async ({ canvas }) => {
    await expect(canvas.getByText(/identity.email, identity.name/)).toBeVisible();
    await expect(canvas.queryByRole('alert')).toBeNull();
  },
};

export const LearnMore: Story = {
  args: { requireVerifiedIdentity: true },
  play: async ({ canvas, userEvent }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Learn more' }));
    const dialog = await screen.findByRole('dialog', { name: 'Verified visitor details and GDPR' });
    await expect(dialog).toHaveTextContent(/HMAC user-hash method/);
    await userEvent.keyboard('{Escape}');
    await expect(canvas.getByRole('button', { name: 'Learn more' })).toHaveFocus();
  },
};

export const NothingWithoutIdentityFields: Story = {
  args: { identityFields: [] },
  play: async ({ canvasElement }) => {
    await expect(canvasElement.querySelector('[data-slot="gdpr-notice"]')).toBeNull();
  },
};
