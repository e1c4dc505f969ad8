import { type ActionDefinition, type ErrorCode, emptyAction } from '@aihio/actions-core';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, waitFor } from 'storybook/test';
import { ActionsApiError } from '../client';
import { okTestResult } from '../testing/fake-bff';
import { TestPanel } from './TestPanel';

const action: ActionDefinition = {
  ...emptyAction(),
  identifier: 'lookup_order',
  description: 'Look up an order.',
  url: 'https://api.example.com/orders/{{order_number}}?email={{email}}',
  parameters: [
    { name: 'order_number', label: 'Order number', type: 'text', required: true, hint: 'Such as ORD-123' },
    { name: 'email', label: 'Customer email', type: 'email', required: true },
    { name: 'phone', label: 'Phone', type: 'phone', required: false },
  ],
};

const meta = {
  title: 'Editor/TestPanel',
  component: TestPanel,
  args: { action, onRun: fn(async () => okTestResult) },
} satisfies Meta<typeof TestPanel>;
export default meta;
type Story = StoryObj<typeof meta>;

export const Idle: Story = {};

export const RunSuccess: Story = {
  play: async ({ canvas, canvasElement, userEvent, args }) => {
    await userEvent.type(canvas.getByLabelText('Order number'), 'ORD-123');
    await userEvent.type(canvas.getByLabelText('Customer email'), 'ann@example.com');
    await userEvent.click(canvas.getByRole('button', { name: 'Run test' }));
    await expect(args.onRun).toHaveBeenCalledWith({
      values: { order_number: 'ORD-123', email: 'ann@example.com' },
      identity: {},
    });
    await waitFor(() => expect(canvasElement.querySelector('[data-slot="status"]')).toHaveTextContent('200'));
    await expect(canvasElement.querySelector('[data-slot="body"]')).toHaveTextContent('"status": "shipped"');
  },
};

export const TypedValidation: Story = {
  play: async ({ canvas, userEvent, args }) => {
    await userEvent.type(canvas.getByLabelText('Customer email'), 'nope');
    await userEvent.type(canvas.getByLabelText('Phone'), 'abc');
    await userEvent.click(canvas.getByRole('button', { name: 'Run test' }));
    await expect(await canvas.findByText(/Enter an email address/)).toBeVisible();
    await expect(canvas.getByText(/Enter a phone number with its country code/)).toBeVisible();
    await expect(args.onRun).not.toHaveBeenCalled();
  },
};

export const AuthenticatedWithIdentity: Story = {
  args: {
    action: {
      ...action,
      url: 'https://api.example.com/orders/{{order_number}}?email={{identity.email}}',
      auth: { type: 'bearer' },
      requireVerifiedIdentity: true,
    },
  },
  play: async ({ canvas }) => {
    await expect(canvas.getByLabelText('Credential for this test')).toHaveAttribute('type', 'password');
    await expect(canvas.getByRole('group', { name: 'Sample verified visitor' })).toBeVisible();
    await expect(canvas.getByLabelText('Email')).toBeVisible();
  },
};

export const ResultJson: Story = { args: { initialResult: { kind: 'result', result: okTestResult } } };

export const ResultTruncatedText: Story = {
  args: {
    initialResult: {
      kind: 'result',
      result: {
        ok: true,
        status: 404,
        headers: { 'content-type': 'text/html' },
        body: '<html><body>Not found…',
        truncated: true,
        durationMs: 95,
      },
    },
  },
  play: async ({ canvas }) => {
    await expect(canvas.getByText(/only its beginning is shown/)).toBeVisible();
  },
};

export const ResultEmptyBody: Story = {
  args: {
    initialResult: {
      kind: 'result',
      result: { ok: true, status: 204, headers: {}, body: '', truncated: false, durationMs: 30 },
    },
  },
};

function failed(code: ErrorCode, message: string): Story {
  return {
    args: {
      initialResult: { kind: 'result', result: { ok: false, error: { code, message }, durationMs: 12 } },
    },
    play: async ({ canvas }) => {
      await expect(canvas.getByText(`Error code: ${code}`)).toBeVisible();
    },
  };
}

export const BlockedDestination = failed(
  'blocked_destination',
  'api.example.com resolves to 10.0.0.8, a private address.',
);
export const Timeout = failed('timeout', 'No answer in 10 s.');
export const TlsFailed = failed('tls_failed', 'certificate has expired');
export const DnsFailed = failed('dns_failed', 'ENOTFOUND api.exampel.com');
export const ConnectFailed = failed('connect_failed', 'ECONNREFUSED');
export const IdentityUnverified = failed('identity_unverified', 'The visitor is verified with HMAC only.');
export const ResponseTooLarge = failed('response_too_large', 'More than 1 MiB.');

export const InvalidArguments: Story = {
  args: {
    initialResult: {
      kind: 'result',
      result: {
        ok: false,
        error: {
          code: 'invalid_arguments',
          message: 'Some values are not valid.',
          issues: [{ code: 'value_email', path: ['email'], message: 'Enter an email address.' }],
        },
        durationMs: 2,
      },
    },
  },
  play: async ({ canvas }) => {
    await expect(canvas.getByLabelText('Customer email')).toHaveAttribute('aria-invalid', 'true');
  },
};

export const CredentialRequired: Story = {
  args: {
    action: { ...action, auth: { type: 'bearer' } },
    initialResult: {
      kind: 'error',
      error: new ActionsApiError('credential_required', 'Enter the credential.', 422),
    },
  },
};

export const RateLimited: Story = {
  args: {
    onRun: fn(async () => {
      throw new ActionsApiError('rate_limited', 'Too many requests.', 429);
    }),
  },
  play: async ({ canvas, userEvent }) => {
    await userEvent.type(canvas.getByLabelText('Order number'), 'ORD-1');
    await userEvent.type(canvas.getByLabelText('Customer email'), 'a@example.com');
    await userEvent.click(canvas.getByRole('button', { name: 'Run test' }));
    await expect(await canvas.findByText('Error code: rate_limited')).toBeVisible();
  },
};
