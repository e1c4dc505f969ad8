import type { OAuthClientCredentialsAuth } from '@aihio/actions-core';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn } from 'storybook/test';
import { AuthPicker } from './AuthPicker';

/** OAuth 2.0 client credentials as the owner meets it: inside AuthPicker. */
const meta = {
  title: 'Editor/AuthPicker/OAuth client credentials',
  component: AuthPicker,
  args: { onValueChange: fn(), onSecretChange: fn() },
} satisfies Meta<typeof AuthPicker>;
export default meta;
type Story = StoryObj<typeof meta>;

const configured: OAuthClientCredentialsAuth = {
  type: 'oauth2_client_credentials',
  tokenUrl: 'https://auth.example.com/oauth/token',
  clientId: 'orders-bot',
  scope: 'orders:read',
  clientAuth: 'client_secret_basic',
};

export const ChooseAndFillIn: Story = {
  args: { defaultValue: { type: 'none' }, credential: null },
  play: async ({ canvas, userEvent, args }) => {
    await userEvent.click(canvas.getByRole('radio', { name: 'OAuth 2.0 client credentials' }));
    await expect(args.onValueChange).toHaveBeenLastCalledWith({
      type: 'oauth2_client_credentials',
      tokenUrl: 'https://',
      clientId: '',
      clientAuth: 'client_secret_basic',
    });
    const tokenUrl = canvas.getByLabelText('Token URL');
    await expect(tokenUrl).toHaveAccessibleDescription(
      'Your authorization server’s token endpoint (https, port 443).',
    );
    await userEvent.clear(tokenUrl);
    await userEvent.type(tokenUrl, 'https://auth.example.com/token');
    await userEvent.type(canvas.getByLabelText('Client ID'), 'bot');
    await userEvent.type(canvas.getByLabelText('Scope (optional)'), 'orders:read');
    await userEvent.click(canvas.getByRole('radio', { name: 'In the request body (client_secret)' }));
    await expect(args.onValueChange).toHaveBeenLastCalledWith({
      type: 'oauth2_client_credentials',
      tokenUrl: 'https://auth.example.com/token',
      clientId: 'bot',
      scope: 'orders:read',
      clientAuth: 'client_secret_post',
    });
    // The client secret is the credential: write-only, like a bearer token.
    const secret = canvas.getByLabelText('Client secret');
    await expect(secret).toHaveAttribute('type', 'password');
    await userEvent.type(secret, 's3cr3t');
    await expect(args.onSecretChange).toHaveBeenLastCalledWith('s3cr3t');
  },
};

export const ClearingAnOptionalFieldOmitsIt: Story = {
  args: { defaultValue: { ...configured, audience: 'https://api.example.com' } },
  play: async ({ canvas, userEvent, args }) => {
    await userEvent.clear(canvas.getByLabelText('Audience (optional)'));
    await expect(args.onValueChange).toHaveBeenLastCalledWith(configured);
  },
};

export const SwitchingAwayKeepsTheSettings: Story = {
  args: { defaultValue: configured },
  play: async ({ canvas, userEvent, args }) => {
    await userEvent.click(canvas.getByRole('radio', { name: 'Bearer token' }));
    await expect(canvas.queryByLabelText('Token URL')).toBeNull();
    await userEvent.click(canvas.getByRole('radio', { name: 'OAuth 2.0 client credentials' }));
    await expect(args.onValueChange).toHaveBeenLastCalledWith(configured);
    await expect(canvas.getByLabelText('Client ID')).toHaveValue('orders-bot');
  },
};

export const FieldErrors: Story = {
  args: {
    defaultValue: { ...configured, tokenUrl: 'http://auth.example.com/token' },
    oauthErrors: { tokenUrl: ['The token URL must start with https://.'] },
  },
  play: async ({ canvas }) => {
    const input = canvas.getByLabelText('Token URL');
    await expect(input).toHaveAttribute('aria-invalid', 'true');
    await expect(input).toHaveAccessibleDescription(
      'Your authorization server’s token endpoint (https, port 443). The token URL must start with https://.',
    );
    await expect(canvas.getByLabelText('Client ID')).not.toHaveAttribute('aria-invalid');
  },
};

export const SecretSaved: Story = {
  args: { defaultValue: configured, credential: { last4: 'cr3t' } },
  play: async ({ canvas, canvasElement }) => {
    await expect(canvas.getByText('•••• cr3t')).toBeVisible();
    await expect(canvasElement.querySelector('input[type="password"]')).toBeNull();
  },
};
