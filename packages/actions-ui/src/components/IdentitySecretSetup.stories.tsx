import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, screen, waitFor, within } from 'storybook/test';
import { withKit } from '../testing/story-helpers';
import { IdentitySecretSetup } from './IdentitySecretSetup';

const meta = {
  title: 'Dashboard/IdentitySecretSetup',
  component: IdentitySecretSetup,
  args: { chatbotId: 'bot_1' },
  decorators: [withKit({ identitySecret: null })],
} satisfies Meta<typeof IdentitySecretSetup>;
export default meta;
type Story = StoryObj<typeof meta>;

/** Not set up → generate: the secret is shown once, with the snippet; Done hides it for good. */
export const SetUp: Story = {
  play: async ({ canvas, userEvent }) => {
    await expect(await canvas.findByText('Not set up')).toBeVisible();
    await userEvent.click(canvas.getByRole('button', { name: 'Generate secret' }));
    const input = await canvas.findByLabelText('Your new identity secret');
    const secret = (input as HTMLInputElement).value;
    // 32 random bytes as base64url: 43 characters, above the BFF's floor of 32.
    await expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await waitFor(() => expect(input).toHaveFocus());
    await expect(input).toHaveAttribute('readonly');
    await expect(input).toHaveAccessibleDescription(/It is not shown again/);
    const snippet = canvasElementSnippet(canvas.getByText(/new SignJWT/));
    await expect(snippet).toContain('.setAudience("bot_1")');
    await expect(snippet).toContain('.setExpirationTime(');
    // The snippet reads the secret from the server's environment; it never embeds it.
    await expect(snippet).not.toContain(secret);
    await userEvent.click(canvas.getByRole('button', { name: 'I have copied it' }));
    await expect(canvas.queryByLabelText('Your new identity secret')).toBeNull();
    await expect(canvas.queryByDisplayValue(secret)).toBeNull();
    await expect(canvas.getByText(`•••• ${secret.slice(-4)}`)).toBeVisible();
    await expect(canvas.getByText('Set up')).toBeVisible();
    await waitFor(() => expect(canvas.getByRole('button', { name: 'Rotate secret' })).toHaveFocus());
  },
};

function canvasElementSnippet(element: HTMLElement): string {
  return element.closest('pre')?.textContent ?? '';
}

/** Rotate asks first (old tokens stop verifying), then shows a new secret once. */
export const Rotate: Story = {
  decorators: [withKit({ identitySecret: { last4: 'WXYZ' } })],
  play: async ({ canvas, userEvent }) => {
    await expect(await canvas.findByText('•••• WXYZ')).toBeVisible();
    await userEvent.click(canvas.getByRole('button', { name: 'Rotate secret' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Rotate the identity secret?' });
    await expect(within(dialog).getByText(/stop verifying at once/)).toBeVisible();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Rotate secret' }));
    const input = await canvas.findByLabelText('Your new identity secret');
    const secret = (input as HTMLInputElement).value;
    await expect(secret).toHaveLength(43);
    await userEvent.click(canvas.getByRole('button', { name: 'I have copied it' }));
    await expect(canvas.getByText(`•••• ${secret.slice(-4)}`)).toBeVisible();
  },
};

export const Remove: Story = {
  decorators: [withKit({ identitySecret: { last4: 'WXYZ' } })],
  play: async ({ canvas, userEvent }) => {
    await userEvent.click(await canvas.findByRole('button', { name: 'Remove' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Remove the identity secret?' });
    await expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Remove secret' }));
    await expect(await canvas.findByText('Not set up')).toBeVisible();
    await expect(canvas.queryByText('•••• WXYZ')).toBeNull();
    await waitFor(() => expect(canvas.getByRole('button', { name: 'Generate secret' })).toHaveFocus());
  },
};

export const SaveFails: Story = {
  decorators: [withKit({ identitySecret: null, failures: { identitySecret: { code: 'forbidden' } } })],
  play: async ({ canvas, userEvent }) => {
    await userEvent.click(await canvas.findByRole('button', { name: 'Generate secret' }));
    await expect(await canvas.findByRole('alert')).toHaveTextContent('Your role does not allow this change.');
    // A secret that was not stored is never shown.
    await expect(canvas.queryByLabelText('Your new identity secret')).toBeNull();
    await expect(canvas.getByText('Not set up')).toBeVisible();
  },
};

/** Standalone: the host stores the secret itself. */
export const Standalone: Story = {
  decorators: [],
  args: { secret: null, onSave: fn(async () => undefined), onRemove: fn() },
  play: async ({ canvas, userEvent, args }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Generate secret' }));
    const input = await canvas.findByLabelText('Your new identity secret');
    await expect(args.onSave).toHaveBeenCalledWith((input as HTMLInputElement).value);
  },
};

export const Finnish: Story = {
  decorators: [withKit({ identitySecret: { last4: 'WXYZ' } }, { locale: 'fi' })],
  play: async ({ canvas }) => {
    await expect(await canvas.findByText('Käytössä')).toBeVisible();
    await expect(canvas.getByRole('button', { name: 'Vaihda avain' })).toBeVisible();
  },
};

export const Dark: Story = {
  decorators: [withKit({ identitySecret: null }, { theme: 'dark' })],
  play: async ({ canvas, userEvent }) => {
    await userEvent.click(await canvas.findByRole('button', { name: 'Generate secret' }));
    await expect(await canvas.findByLabelText('Your new identity secret')).toBeVisible();
  },
};
