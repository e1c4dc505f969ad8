import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, screen, waitFor } from 'storybook/test';
import { AuthPicker } from './AuthPicker';

const meta = {
  title: 'Editor/AuthPicker',
  component: AuthPicker,
  args: { onValueChange: fn(), onSecretChange: fn() },
} satisfies Meta<typeof AuthPicker>;
export default meta;
type Story = StoryObj<typeof meta>;

export const NoAuthentication: Story = {
  args: { defaultValue: { type: 'none' } },
  play: async ({ canvas, userEvent, args }) => {
    await expect(canvas.getByRole('radio', { name: 'No authentication' })).toBeChecked();
    await userEvent.click(canvas.getByRole('radio', { name: 'API key' }));
    await expect(args.onValueChange).toHaveBeenLastCalledWith({ type: 'api_key', headerName: '' });
    await userEvent.type(canvas.getByLabelText('API key header name'), 'X-Api-Key');
    await expect(args.onValueChange).toHaveBeenLastCalledWith({ type: 'api_key', headerName: 'X-Api-Key' });
  },
};

export const BearerNewSecret: Story = {
  args: { defaultValue: { type: 'bearer' }, credential: null },
  play: async ({ canvas, userEvent, args }) => {
    const secret = canvas.getByLabelText('Credential');
    await expect(secret).toHaveAttribute('type', 'password');
    await expect(secret).toHaveValue('');
    await userEvent.type(secret, 'tok_1234');
    await expect(args.onSecretChange).toHaveBeenLastCalledWith('tok_1234');
  },
};

export const ApiKeyHeaderNameError: Story = {
  args: {
    defaultValue: { type: 'api_key', headerName: 'X Api Key' },
    headerNameErrors: ['A header name cannot contain spaces.'],
  },
  play: async ({ canvas }) => {
    const input = canvas.getByLabelText('API key header name');
    await expect(input).toHaveAttribute('aria-invalid', 'true');
    await expect(input).toHaveAccessibleDescription('A header name cannot contain spaces.');
  },
};

export const SecretSaved: Story = {
  args: {
    defaultValue: { type: 'api_key', headerName: 'X-Api-Key' },
    credential: { last4: '9f3a' },
    onRemoveCredential: fn(),
  },
  play: async ({ canvas, canvasElement, userEvent, args }) => {
    await expect(canvas.getByText('•••• 9f3a')).toBeVisible();
    // Never prefilled: no secret input until the owner chooses Replace.
    await expect(canvasElement.querySelector('input[type="password"]')).toBeNull();
    await userEvent.click(canvas.getByRole('button', { name: 'Replace' }));
    await waitFor(() => expect(canvas.getByLabelText('Credential')).toHaveFocus());
    await expect(canvas.getByLabelText('Credential')).toHaveValue('');
    await userEvent.click(canvas.getByRole('button', { name: 'Keep the stored credential' }));
    await userEvent.click(canvas.getByRole('button', { name: 'Remove' }));
    await userEvent.click(await screen.findByRole('button', { name: 'Remove credential' }));
    await expect(args.onRemoveCredential).toHaveBeenCalledTimes(1);
  },
};

export const CredentialMissing: Story = {
  args: {
    defaultValue: { type: 'bearer' },
    credential: null,
    secretErrors: ['This action uses authentication but no credential is stored for it.'],
  },
  play: async ({ canvas }) => {
    await expect(canvas.getByLabelText('Credential')).toHaveAttribute('aria-invalid', 'true');
  },
};
