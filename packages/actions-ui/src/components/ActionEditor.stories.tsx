import { type ActionDefinition, emptyAction } from '@aihio/actions-core';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, fn, screen, waitFor } from 'storybook/test';
import { okTestResult, storedAction } from '../testing/fake-bff';
import { withKit } from '../testing/story-helpers';
import { ActionEditor } from './ActionEditor';

const valid: ActionDefinition = {
  ...emptyAction(),
  identifier: 'lookup_order',
  description: 'Look up a customer’s order status by order number.',
  url: 'https://api.example.com/orders/{{order_number}}',
  headers: [{ name: 'Accept', value: 'application/json' }],
  parameters: [
    { name: 'order_number', label: 'Order number', type: 'text', hint: 'Such as ORD-123', required: true },
  ],
};

const meta = {
  title: 'Editor/ActionEditor',
  component: ActionEditor,
  args: { guardUnload: false, onSubmit: fn(), onChange: fn(), onCancel: fn() },
  decorators: [withKit()],
} satisfies Meta<typeof ActionEditor>;
export default meta;
type Story = StoryObj<typeof meta>;

export const New: Story = {};

/** The seed's steps end to end, from a blank form to a valid save. */
export const BuildFromScratch: Story = {
  play: async ({ canvas, userEvent, args }) => {
    await userEvent.click(canvas.getByLabelText('Identifier'));
    await userEvent.paste('lookup_order');
    // Pasted: the description is one change for the form, like the owner pasting their text.
    await userEvent.click(canvas.getByLabelText('Description'));
    await userEvent.paste('Look up an order by its number.');
    const url = canvas.getByRole('combobox', { name: 'URL' });
    await userEvent.clear(url);
    await userEvent.paste('https://api.example.com/orders/');
    await userEvent.type(url, '{{{{order_number}}');
    await expect(await canvas.findByText(/is not a parameter of this action/)).toBeVisible();
    await userEvent.click(canvas.getByRole('button', { name: 'Add parameter' }));
    const name = canvas.getByRole('textbox', { name: 'Name parameter 1' });
    await userEvent.clear(name);
    await userEvent.paste('order_number');
    await userEvent.click(canvas.getByRole('textbox', { name: 'Label parameter 1' }));
    await userEvent.paste('Order number');
    await waitFor(() => expect(canvas.queryByText(/is not a parameter of this action/)).toBeNull());
    await userEvent.click(canvas.getByRole('button', { name: 'Save action' }));
    await waitFor(() =>
      expect(args.onSubmit).toHaveBeenCalledWith(
        expect.objectContaining({
          identifier: 'lookup_order',
          url: 'https://api.example.com/orders/{{order_number}}',
        }),
        { secret: null },
      ),
    );
  },
};

export const Filled: Story = { args: { defaultValue: valid } };

export const WithErrors: Story = {
  args: {
    defaultValue: {
      ...valid,
      identifier: 'Lookup Order',
      url: 'http://api.example.com:8080/orders/{{order_id}}',
      method: 'GET',
      body: '{"a": 1}',
    },
  },
  play: async ({ canvas, userEvent, args }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Save action' }));
    await expect(await canvas.findByRole('alert')).toHaveTextContent(/Fix \d+ problems before saving/);
    await expect(canvas.getByLabelText('Identifier')).toHaveAttribute('aria-invalid', 'true');
    await expect(args.onSubmit).not.toHaveBeenCalled();
  },
};

export const IdentityNeedsVerification: Story = {
  args: {
    defaultValue: {
      ...valid,
      url: 'https://api.example.com/orders/{{order_number}}?email={{identity.email}}',
    },
  },
  play: async ({ canvas, userEvent }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Require verified identity' }));
    await expect(canvas.getByRole('checkbox', { name: 'Require verified identity' })).toBeChecked();
  },
};

export const WithBodyAndTest: Story = {
  args: {
    defaultValue: {
      ...valid,
      method: 'POST',
      url: 'https://api.example.com/tickets',
      body: '{\n  "order": "{{order_number}}",\n  "email": "{{identity.email}}"\n}',
      requireVerifiedIdentity: true,
    },
    onTest: fn(async () => okTestResult),
  },
  play: async ({ canvas, userEvent, args }) => {
    await userEvent.type(canvas.getByLabelText('Order number'), 'ORD-9');
    // The body sends {{identity.email}}: the sample visitor's email is required.
    await userEvent.type(canvas.getByLabelText('Email'), 'ann@example.com');
    await userEvent.click(canvas.getByRole('button', { name: 'Run test' }));
    await waitFor(() => expect(args.onTest).toHaveBeenCalledTimes(1));
  },
};

export const SecretSaved: Story = {
  args: { chatbotId: 'bot_1', actionId: 'act_open_ticket', onSubmit: undefined },
  decorators: [
    withKit({
      actions: [
        storedAction(
          { identifier: 'open_ticket', auth: { type: 'api_key', headerName: 'X-Api-Key' } },
          { credential: { last4: '7c1e' } },
        ),
      ],
    }),
  ],
  play: async ({ canvas }) => {
    await expect(await canvas.findByText('•••• 7c1e')).toBeVisible();
    await expect(canvas.getByRole('button', { name: 'Replace' })).toBeVisible();
  },
};

/**
 * A saved action with a stored credential, edited to call another host: before saving, a status
 * notice says the credential will be removed and why, and the picker asks for the new host's.
 */
export const CredentialDroppedByEdit: Story = {
  args: { chatbotId: 'bot_1', actionId: 'act_open_ticket', onSubmit: undefined },
  decorators: [
    withKit({
      actions: [
        storedAction(
          {
            identifier: 'open_ticket',
            url: 'https://api.example.com/tickets/{{order_number}}',
            auth: { type: 'api_key', headerName: 'X-Api-Key' },
          },
          { credential: { last4: '7c1e' } },
        ),
      ],
    }),
  ],
  play: async ({ canvas, userEvent }) => {
    await expect(await canvas.findByText('•••• 7c1e')).toBeVisible();
    const url = canvas.getByRole('combobox', { name: 'URL' });
    await userEvent.clear(url);
    await userEvent.paste('https://eu.example.com/tickets/{{order_number}}');
    const notice = await canvas.findByText(
      'Saving removes the stored credential (•••• 7c1e) because the host changed; you will need to enter it again.',
    );
    await expect(notice.closest('[role="status"]')).not.toBeNull();
    await expect(canvas.getByRole('button', { name: 'Save action' })).toHaveAccessibleDescription(
      notice.textContent ?? '',
    );
    await expect(canvas.getByLabelText('Credential', { exact: true })).toBeVisible();
  },
};

export const CredentialDroppedByEditFinnish: Story = {
  ...CredentialDroppedByEdit,
  decorators: [
    withKit(
      {
        actions: [
          storedAction(
            { identifier: 'open_ticket', auth: { type: 'api_key', headerName: 'X-Api-Key' } },
            { credential: { last4: '7c1e' } },
          ),
        ],
      },
      { locale: 'fi' },
    ),
  ],
  play: async ({ canvas, userEvent }) => {
    await userEvent.click(await canvas.findByRole('radio', { name: 'Bearer-tunnus' }));
    await expect(
      await canvas.findByText(
        'Tallentaminen poistaa tallennetun tunnuksen (•••• 7c1e), koska tunnistautumistapa muuttui; sinun on syötettävä tunnus uudelleen.',
      ),
    ).toBeVisible();
  },
};

export const IdentifierTaken: Story = {
  args: { chatbotId: 'bot_1', defaultValue: valid, onSubmit: undefined },
  decorators: [withKit({ actions: [storedAction({ identifier: 'lookup_order' })] })],
  play: async ({ canvas, userEvent }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Save action' }));
    await waitFor(() => expect(canvas.getByLabelText('Identifier')).toHaveAttribute('aria-invalid', 'true'));
  },
};

export const VersionConflict: Story = {
  args: { chatbotId: 'bot_1', actionId: 'act_lookup_order', onSubmit: undefined },
  decorators: [
    withKit({
      actions: [storedAction({ identifier: 'lookup_order' })],
      failures: { update: { code: 'version_conflict' } },
    }),
  ],
  play: async ({ canvas, userEvent }) => {
    await userEvent.type(await canvas.findByLabelText('Description'), ' Now faster.');
    await userEvent.click(canvas.getByRole('button', { name: 'Save action' }));
    await expect(await canvas.findByRole('alert')).toHaveTextContent(/Someone else changed this action/);
    await expect(canvas.getByRole('button', { name: 'Reload latest version' })).toBeVisible();
  },
};

export const Loading: Story = {
  args: { chatbotId: 'bot_1', actionId: 'act_lookup_order', onSubmit: undefined },
  decorators: [withKit({ actions: [storedAction({ identifier: 'lookup_order' })], delayMs: 60_000 })],
  play: async ({ canvas }) => {
    await expect(canvas.getByText('Loading…')).toBeVisible();
  },
};

export const UnsavedChangesGuard: Story = {
  args: { defaultValue: valid },
  play: async ({ canvas, userEvent, args }) => {
    await userEvent.type(canvas.getByLabelText('Description'), ' Edited.');
    await userEvent.click(canvas.getByRole('button', { name: 'Cancel' }));
    await expect(await screen.findByRole('alertdialog', { name: 'Discard unsaved changes?' })).toBeVisible();
    await userEvent.click(screen.getByRole('button', { name: 'Discard changes' }));
    await expect(args.onCancel).toHaveBeenCalledTimes(1);
  },
};

export const CurlImport: Story = {
  play: async ({ canvas, userEvent }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Import from curl' }));
    const textarea = await screen.findByLabelText('curl command');
    await userEvent.click(textarea);
    await userEvent.paste(
      `curl -X POST 'https://api.example.com/tickets?lang=en' -H 'Content-Type: application/json' -d '{"subject":"Broken","email":"ann@example.com"}'`,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Import' }));
    await userEvent.click(await screen.findByRole('checkbox', { name: 'email = ann@example.com' }));
    await userEvent.click(screen.getByRole('button', { name: 'Import' }));
    await waitFor(() => expect(canvas.getByLabelText('HTTP method')).toHaveValue('POST'));
    await expect(canvas.getByRole('combobox', { name: 'URL' })).toHaveValue(
      'https://api.example.com/tickets?lang=en',
    );
    await expect((canvas.getByRole('textbox', { name: 'Body' }) as HTMLTextAreaElement).value).toContain(
      '{{email}}',
    );
    await expect(canvas.getByRole('textbox', { name: 'Name parameter 1' })).toHaveValue('email');
  },
};

export const Finnish: Story = {
  args: { defaultValue: valid },
  decorators: [withKit({}, { locale: 'fi' })],
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('button', { name: 'Tallenna toiminto' })).toBeVisible();
  },
};

export const Dark: Story = {
  args: { defaultValue: valid },
  decorators: [withKit({}, { theme: 'dark' })],
};
