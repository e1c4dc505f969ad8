import { type ActionDefinition, emptyAction, type StoredAction } from '@aihio/actions-core';
import { describe, expect, test, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { render } from 'vitest-browser-react';
import { axeViolations } from '../testing/axe';
import { createFakeBff, okTestResult, storedAction } from '../testing/fake-bff';
import { KitFixture } from '../testing/KitFixture';
import { ActionEditor } from './ActionEditor';

const valid: ActionDefinition = {
  ...emptyAction(),
  identifier: 'lookup_order',
  description: 'Look up a customer’s order status by order number.',
  url: 'https://api.example.com/orders/{{order_number}}',
  parameters: [{ name: 'order_number', label: 'Order number', type: 'text', required: true }],
};

function editor(props: Parameters<typeof ActionEditor>[0] = {}) {
  return render(
    <KitFixture>
      <ActionEditor guardUnload={false} {...props} />
    </KitFixture>,
  );
}

describe('ActionEditor: building an action from scratch', () => {
  test('shows live errors while typing and saves a valid action', async () => {
    const onSubmit = vi.fn<(definition: ActionDefinition) => void>();
    const screen = await editor({ onSubmit });

    await screen.getByLabelText('Identifier').fill('Lookup Order');
    await expect.element(screen.getByLabelText('Identifier')).toHaveAttribute('aria-invalid', 'true');
    await screen.getByLabelText('Identifier').fill('lookup_order');
    await expect.element(screen.getByLabelText('Identifier')).not.toHaveAttribute('aria-invalid');
    await screen.getByLabelText('Description').fill('Look up a customer’s order status by order number.');

    const url = screen.getByRole('combobox', { name: 'URL' });
    await url.fill('https://api.example.com/orders/{{order_number}}');
    await expect.element(screen.getByText(/is not a parameter of this action/)).toBeVisible();

    await screen.getByRole('button', { name: 'Add parameter' }).click();
    await screen.getByRole('textbox', { name: 'Name parameter 1' }).fill('order_number');
    await screen.getByRole('textbox', { name: 'Label parameter 1' }).fill('Order number');
    await expect.element(screen.getByText(/is not a parameter of this action/)).not.toBeInTheDocument();
    // Where used, and why it cannot be optional.
    await expect.element(screen.getByRole('cell', { name: 'URL' })).toBeVisible();
    await expect.element(screen.getByRole('checkbox', { name: 'Required parameter 1' })).toBeDisabled();
    await expect.element(screen.getByText(/Used in the request, so it must be required/)).toBeVisible();

    await screen.getByRole('button', { name: 'Save action' }).click();
    await vi.waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    expect(onSubmit.mock.calls[0]?.[0]).toEqual({
      ...valid,
      parameters: [{ ...valid.parameters[0], type: 'text' }],
    });
    await expect.element(screen.getByText('Saved.')).toBeVisible();
  });

  test('autocompletes {{ with parameters and identity fields from the keyboard', async () => {
    const screen = await editor({ defaultValue: { ...valid, url: 'https://api.example.com/orders/' } });
    const url = screen.getByRole('combobox', { name: 'URL' });
    await url.click();
    await userEvent.keyboard('{End}{{{{or');
    await expect.element(screen.getByRole('listbox')).toBeVisible();
    await expect
      .element(screen.getByRole('option', { name: /order_number/ }))
      .toHaveAttribute('aria-selected', 'true');
    await userEvent.keyboard('{Enter}');
    await expect.element(url).toHaveValue('https://api.example.com/orders/{{order_number}}');
    await expect.element(screen.getByRole('listbox')).not.toBeInTheDocument();

    await userEvent.keyboard('?email={{{{ident');
    await expect.element(screen.getByRole('option', { name: /identity\.email/ })).toBeVisible();
    await userEvent.keyboard('{ArrowDown}{Enter}');
    await expect
      .element(url)
      .toHaveValue('https://api.example.com/orders/{{order_number}}?email={{identity.email}}');
  });

  test('a save with errors lists them and focuses the first field', async () => {
    const onSubmit = vi.fn();
    const screen = await editor({ onSubmit });
    await screen.getByRole('button', { name: 'Save action' }).click();
    await expect.element(screen.getByRole('alert')).toHaveTextContent(/Fix \d+ problem/);
    await expect.element(screen.getByLabelText('Identifier')).toHaveFocus();
    expect(onSubmit).not.toHaveBeenCalled();
    await screen.getByRole('button', { name: /Describe when the agent should use this action/ }).click();
    await expect.element(screen.getByLabelText('Description')).toHaveFocus();
  });
});

describe('ActionEditor: fixing each kind of error', () => {
  test('URL: not https, a port, then fixed', async () => {
    const screen = await editor({ defaultValue: valid });
    const url = screen.getByRole('combobox', { name: 'URL' });
    await url.fill('http://api.example.com/orders/{{order_number}}');
    await expect.element(url).toHaveAttribute('aria-invalid', 'true');
    await expect.element(screen.getByText('The URL must start with https://.')).toBeVisible();
    await url.fill('https://api.example.com:8443/orders/{{order_number}}');
    await expect.element(screen.getByText(/port 443 only/)).toBeVisible();
    await url.fill('https://api.example.com/orders/{{order_number}}');
    await expect.element(url).not.toHaveAttribute('aria-invalid');
  });

  test('description blank, then written', async () => {
    const screen = await editor({ defaultValue: valid });
    await screen.getByLabelText('Description').fill('  ');
    await expect.element(screen.getByLabelText('Description')).toHaveAttribute('aria-invalid', 'true');
    await screen.getByLabelText('Description').fill('Look up an order.');
    await expect.element(screen.getByLabelText('Description')).not.toHaveAttribute('aria-invalid');
  });

  test('a used parameter that is optional is marked at its Required box, and ticking it fixes it', async () => {
    const screen = await editor({
      defaultValue: { ...valid, parameters: [{ ...valid.parameters[0]!, required: false }] },
    });
    const required = screen.getByRole('checkbox', { name: 'Required parameter 1' });
    await expect.element(required).toHaveAttribute('aria-invalid', 'true');
    await expect.element(screen.getByText(/is used in the request, so it must be required/)).toBeVisible();
    await required.click();
    await expect.element(required).toBeChecked();
    await expect.element(required).toBeDisabled();
    await expect.element(required).not.toHaveAttribute('aria-invalid');
  });

  test('duplicate parameter names and blank labels', async () => {
    const screen = await editor({ defaultValue: valid });
    await screen.getByRole('button', { name: 'Add parameter' }).click();
    const name2 = screen.getByRole('textbox', { name: 'Name parameter 2' });
    await name2.fill('order_number');
    await expect.element(name2).toHaveAttribute('aria-invalid', 'true');
    await expect.element(screen.getByText(/Another parameter is already named order_number/)).toBeVisible();
    await name2.fill('email');
    await expect.element(name2).not.toHaveAttribute('aria-invalid');
    const label2 = screen.getByRole('textbox', { name: 'Label parameter 2' });
    await label2.fill(' ');
    await expect.element(label2).toHaveAttribute('aria-invalid', 'true');
    await label2.fill('Email');
    await expect.element(label2).not.toHaveAttribute('aria-invalid');
  });

  test('identity fields: the GDPR notice appears, and its one-click fix enables Require verified identity', async () => {
    const screen = await editor({ defaultValue: valid });
    await screen
      .getByRole('combobox', { name: 'URL' })
      .fill('https://api.example.com/orders/{{order_number}}?email={{identity.email}}');
    await expect.element(screen.getByText('You are sending personal data to your own system')).toBeVisible();
    await expect
      .element(screen.getByText(/Only the signed-JWT identity method fills these fields/))
      .toBeVisible();
    const require = screen.getByRole('checkbox', { name: 'Require verified identity' });
    await expect.element(require).not.toBeChecked();
    await screen.getByRole('button', { name: 'Require verified identity' }).click();
    await expect.element(require).toBeChecked();
    await expect.element(screen.getByText(/Identity references need/)).not.toBeInTheDocument();

    await screen.getByRole('button', { name: 'Learn more' }).click();
    const dialog = screen.getByRole('dialog', { name: 'Verified visitor details and GDPR' });
    await expect.element(dialog).toBeVisible();
    await userEvent.keyboard('{Escape}');
    await expect.element(dialog).not.toBeInTheDocument();
    await expect.element(screen.getByRole('button', { name: 'Learn more' })).toHaveFocus();
  });

  test('headers: a forbidden header, then a valid one; Authorization conflicts with Bearer auth', async () => {
    const screen = await editor({ defaultValue: valid });
    await screen.getByRole('button', { name: 'Add header' }).click();
    const name = screen.getByLabelText('Header name 1');
    await name.fill('Host');
    await expect.element(name).toHaveAttribute('aria-invalid', 'true');
    await name.fill('X-Trace');
    await expect.element(name).not.toHaveAttribute('aria-invalid');
    await screen.getByRole('combobox', { name: 'Header value 1' }).fill('abc');

    await name.fill('Authorization');
    await screen.getByRole('radio', { name: 'Bearer token' }).click();
    await expect.element(name).toHaveAttribute('aria-invalid', 'true');
    await screen.getByRole('button', { name: 'Remove header 1' }).click();
    await expect.element(screen.getByText('No headers.')).toBeVisible();
  });

  test('body: a bare placeholder, then quoted; a GET with a body says it has none', async () => {
    const screen = await editor({
      defaultValue: {
        ...valid,
        method: 'POST',
        url: 'https://api.example.com/orders',
        body: '{"order": {{order_number}}}',
      },
    });
    const body = screen.getByRole('textbox', { name: 'Body' });
    await body.fill('{"order": {{order_number}}}');
    await expect.element(body).toHaveAttribute('aria-invalid', 'true');
    await body.fill('{"order": "{{order_number}}"}');
    await expect.element(body).not.toHaveAttribute('aria-invalid');

    await screen.getByLabelText('HTTP method').selectOptions('GET');
    await expect.element(body).toHaveAttribute('aria-invalid', 'true');
    await body.fill('');
    await expect.element(screen.getByText('A GET request has no body.')).toBeVisible();
  });

  test('API key: the header name must be a valid token', async () => {
    const screen = await editor({ defaultValue: valid });
    await screen.getByRole('radio', { name: 'API key' }).click();
    const header = screen.getByLabelText('API key header name');
    await header.fill('X Api Key');
    await expect.element(header).toHaveAttribute('aria-invalid', 'true');
    await header.fill('X-Api-Key');
    await expect.element(header).not.toHaveAttribute('aria-invalid');
  });
});

describe('ActionEditor: controlled and guarded', () => {
  test('controlled: emits every change and adopts a new value from the host', async () => {
    const onChange = vi.fn<(value: ActionDefinition) => void>();
    const screen = await editor({ value: valid, onChange });
    await screen.getByLabelText('Identifier').fill('find_order');
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ identifier: 'find_order' }));
    await screen.rerender(
      <KitFixture>
        <ActionEditor guardUnload={false} value={{ ...valid, identifier: 'from_host' }} onChange={onChange} />
      </KitFixture>,
    );
    await expect.element(screen.getByLabelText('Identifier')).toHaveValue('from_host');
  });

  test('Cancel with unsaved changes asks first; Keep editing returns focus to the form', async () => {
    const onCancel = vi.fn();
    const onDirtyChange = vi.fn();
    const screen = await editor({ defaultValue: valid, onCancel, onDirtyChange });
    await screen.getByRole('button', { name: 'Cancel' }).click();
    expect(onCancel).toHaveBeenCalledTimes(1);

    await screen.getByLabelText('Identifier').fill('changed_name');
    await vi.waitFor(() => expect(onDirtyChange).toHaveBeenLastCalledWith(true));
    await screen.getByRole('button', { name: 'Cancel' }).click();
    const dialog = screen.getByRole('alertdialog', { name: 'Discard unsaved changes?' });
    await expect.element(dialog).toBeVisible();
    await expect.element(screen.getByRole('button', { name: 'Keep editing' })).toHaveFocus();
    await screen.getByRole('button', { name: 'Keep editing' }).click();
    expect(onCancel).toHaveBeenCalledTimes(1);
    await screen.getByRole('button', { name: 'Cancel' }).click();
    await screen.getByRole('button', { name: 'Discard changes' }).click();
    expect(onCancel).toHaveBeenCalledTimes(2);
  });
});

describe('ActionEditor: connected to the BFF', () => {
  test('create with a credential: the secret is sent once and only •••• last4 comes back', async () => {
    const bff = createFakeBff();
    const onSaved = vi.fn();
    const screen = await render(
      <KitFixture bff={bff}>
        <ActionEditor chatbotId="bot_1" defaultValue={valid} onSaved={onSaved} guardUnload={false} />
      </KitFixture>,
    );
    await screen.getByRole('radio', { name: 'Bearer token' }).click();
    const secret = screen.getByLabelText('Credential', { exact: true });
    await secret.fill('sk_live_abcd1234');
    await screen.getByRole('button', { name: 'Save action' }).click();
    await vi.waitFor(() => expect(onSaved).toHaveBeenCalledTimes(1));
    expect(onSaved.mock.calls[0]?.[0]).toMatchObject({
      identifier: 'lookup_order',
      credential: { last4: '1234' },
    });
    const credentialCalls = bff.calls.filter((c) => c.path.endsWith('/credential'));
    expect(credentialCalls).toEqual([
      expect.objectContaining({ method: 'PUT', body: { secret: 'sk_live_abcd1234' } }),
    ]);
    expect(
      bff.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/actions'))[0]?.body,
    ).not.toHaveProperty('secret');
    await expect.element(screen.getByText('•••• 1234')).toBeVisible();
    expect(document.body.innerHTML).not.toContain('sk_live_abcd1234');
  });

  test('identifier taken: shown at the identifier, cleared when it changes', async () => {
    const bff = createFakeBff({ actions: [storedAction({ identifier: 'lookup_order' })] });
    const screen = await render(
      <KitFixture bff={bff}>
        <ActionEditor chatbotId="bot_1" defaultValue={valid} guardUnload={false} />
      </KitFixture>,
    );
    await screen.getByRole('button', { name: 'Save action' }).click();
    const identifier = screen.getByLabelText('Identifier');
    await expect
      .element(screen.getByText('Another action of this chatbot already uses this identifier.').first())
      .toBeVisible();
    await expect.element(identifier).toHaveAttribute('aria-invalid', 'true');
    await expect.element(identifier).toHaveFocus();
    await identifier.fill('lookup_order_2');
    await expect.element(identifier).not.toHaveAttribute('aria-invalid');
  });

  test('version conflict: explained, with a reload that brings the latest version', async () => {
    const existing = storedAction({ identifier: 'lookup_order' });
    const bff = createFakeBff({ actions: [existing] });
    const screen = await render(
      <KitFixture bff={bff}>
        <ActionEditor chatbotId="bot_1" actionId={existing.id} guardUnload={false} />
      </KitFixture>,
    );
    await expect.element(screen.getByRole('heading', { name: 'Edit lookup_order' })).toBeVisible();
    // Someone else saves first.
    await bff.fetch(`/api/v1/chatbots/bot_1/actions/${existing.id}`, {
      method: 'PUT',
      headers: { 'If-Match': '"1"', 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...valid, description: 'Changed by a colleague.' }),
    });
    await screen.getByLabelText('Description').fill('My change.');
    await screen.getByRole('button', { name: 'Save action' }).click();
    await expect.element(screen.getByRole('alert')).toHaveTextContent(/Someone else changed this action/);
    await screen.getByRole('button', { name: 'Reload latest version' }).click();
    await expect.element(screen.getByLabelText('Description')).toHaveValue('Changed by a colleague.');
  });

  test('a stored credential shows only •••• last4 with Replace and Remove', async () => {
    const existing = storedAction(
      { identifier: 'lookup_order', auth: { type: 'bearer' } },
      { credential: { last4: '9f3a' } },
    );
    const bff = createFakeBff({ actions: [existing] });
    const screen = await render(
      <KitFixture bff={bff}>
        <ActionEditor chatbotId="bot_1" actionId={existing.id} guardUnload={false} />
      </KitFixture>,
    );
    await expect.element(screen.getByText('•••• 9f3a')).toBeVisible();
    expect(screen.container.querySelector('[data-slot="auth-picker"] input[type="password"]')).toBeNull();
    await screen.getByRole('button', { name: 'Replace' }).click();
    await expect.element(screen.getByLabelText('Credential', { exact: true })).toHaveFocus();
    await expect.element(screen.getByLabelText('Credential', { exact: true })).toHaveValue('');
    await screen.getByRole('button', { name: 'Keep the stored credential' }).click();
    await screen.getByRole('button', { name: 'Remove', exact: true }).click();
    await screen.getByRole('button', { name: 'Remove credential' }).click();
    await vi.waitFor(() => expect(bff.actions()[0]?.credential).toBeNull());
    await expect.element(screen.getByText('•••• 9f3a')).not.toBeInTheDocument();
  });
});

describe('ActionEditor: a stored credential and edits that drop it', () => {
  const keyed = () =>
    storedAction(
      {
        identifier: 'lookup_order',
        url: 'https://api.example.com/orders/{{order_number}}',
        auth: { type: 'api_key', headerName: 'X-Api-Key' },
      },
      { version: 4, credential: { last4: '9f3a' } },
    );

  function connected(bff: ReturnType<typeof createFakeBff>, locale?: 'en' | 'fi') {
    return render(
      <KitFixture bff={bff} locale={locale}>
        <ActionEditor chatbotId="bot_1" actionId="act_lookup_order" guardUnload={false} />
      </KitFixture>,
    );
  }

  const notice = () => document.querySelector('[data-slot="credential-drop"]');

  test('a new host: a status notice before saving, tied to the URL and Save; gone when the host is back', async () => {
    const bff = createFakeBff({ actions: [keyed()] });
    const screen = await connected(bff);
    await expect.element(screen.getByText('•••• 9f3a', { exact: true })).toBeVisible();
    expect(notice()?.getAttribute('role')).toBe('status');
    expect(notice()?.textContent).toBe('');

    const url = screen.getByRole('combobox', { name: 'URL' });
    // A new path on the same host keeps it: no notice.
    await url.fill('https://api.example.com/v2/orders/{{order_number}}');
    expect(notice()?.textContent).toBe('');

    await url.fill('https://eu.example.com/orders/{{order_number}}');
    const text =
      'Saving removes the stored credential (•••• 9f3a) because the host changed; you will need to enter it again.';
    await expect.element(screen.getByRole('status').filter({ hasText: text })).toBeVisible();
    expect(notice()?.getAttribute('data-reason')).toBe('origin');
    const noticeId = notice()?.querySelector('p')?.id ?? 'missing';
    await expect.element(url).toHaveAttribute('aria-describedby', expect.stringContaining(noticeId));
    await expect
      .element(screen.getByRole('button', { name: 'Save action' }))
      .toHaveAttribute('aria-describedby', noticeId);
    await expect
      .element(screen.getByRole('button', { name: 'Save action' }))
      .toHaveAccessibleDescription(text);
    // The picker asks for the credential of the new host instead of showing the old one.
    await expect.element(screen.getByText('•••• 9f3a', { exact: true })).not.toBeInTheDocument();
    await expect.element(screen.getByLabelText('Credential', { exact: true })).toBeVisible();
    expect(await axeViolations(screen.container)).toEqual([]);

    await url.fill('https://API.example.com/orders/{{order_number}}');
    await expect.element(screen.getByText('•••• 9f3a', { exact: true })).toBeVisible();
    expect(notice()?.textContent).toBe('');
    expect(notice()?.hasAttribute('data-reason')).toBe(false);
  });

  test('saving with the notice drops the credential, as the BFF does, and the notice goes', async () => {
    const bff = createFakeBff({ actions: [keyed()] });
    const screen = await connected(bff);
    await screen.getByRole('radio', { name: 'Bearer token' }).click();
    await expect
      .element(screen.getByText(/because the authentication type changed; you will need to enter it again/))
      .toBeVisible();
    await screen.getByRole('button', { name: 'Save action' }).click();
    // Dropping the credential is confirmed first (issue 12, defect 5).
    await page.getByRole('button', { name: 'Save and remove credential' }).click();
    await expect.element(screen.getByText('Saved.')).toBeVisible();
    expect(bff.actions()[0]).toMatchObject({ auth: { type: 'bearer' }, credential: null, version: 5 });
    expect(notice()?.textContent).toBe('');
    await expect.element(screen.getByLabelText('Credential', { exact: true })).toBeVisible();
  });

  test('in Finnish, for a new API-key header name', async () => {
    const bff = createFakeBff({ actions: [keyed()] });
    const screen = await connected(bff, 'fi');
    await screen.getByLabelText('API-avaimen otsakkeen nimi').fill('X-Other-Key');
    await expect
      .element(
        screen.getByText(
          'Tallentaminen poistaa tallennetun tunnuksen (•••• 9f3a), koska API-avaimen otsake muuttui; sinun on syötettävä tunnus uudelleen.',
        ),
      )
      .toBeVisible();
    expect(notice()?.getAttribute('data-reason')).toBe('header_name');
    // Only the letter case: the same header on the wire, no notice.
    await screen.getByLabelText('API-avaimen otsakkeen nimi').fill('x-api-key');
    // The notice follows the form in a transition, right after the keystroke's own render.
    await vi.waitFor(() => expect(notice()?.textContent).toBe(''));
  });

  test('a credential typed for the new host, then the host put back: the typed secret is not sent', async () => {
    const bff = createFakeBff({ actions: [keyed()] });
    const screen = await connected(bff);
    const url = screen.getByRole('combobox', { name: 'URL' });
    await url.fill('https://eu.example.com/orders/{{order_number}}');
    await screen.getByLabelText('Credential', { exact: true }).fill('typed-for-eu-0000');
    await url.fill('https://api.example.com/orders/{{order_number}}');
    await expect.element(screen.getByText('•••• 9f3a', { exact: true })).toBeVisible();
    await screen.getByRole('button', { name: 'Save action' }).click();
    await expect.element(screen.getByText('Saved.')).toBeVisible();
    expect(bff.calls.filter((c) => c.path.endsWith('/credential'))).toEqual([]);
    expect(bff.actions()[0]?.credential).toEqual({ last4: '9f3a' });
  });

  test('the credential is stored with If-Match of the version just saved', async () => {
    const bff = createFakeBff({ actions: [keyed()] });
    const screen = await connected(bff);
    await screen
      .getByRole('combobox', { name: 'URL' })
      .fill('https://eu.example.com/orders/{{order_number}}');
    await screen.getByLabelText('Credential', { exact: true }).fill('entered-for-eu-5678');
    await screen.getByRole('button', { name: 'Save action' }).click();
    await expect.element(screen.getByText('•••• 5678', { exact: true })).toBeVisible();
    const writes = bff.calls.filter((c) => c.method === 'PUT');
    expect(
      writes.map((c) => [c.path.endsWith('/credential') ? 'credential' : 'action', c.headers['if-match']]),
    ).toEqual([
      ['action', '"4"'],
      ['credential', '"5"'],
    ]);
    expect(bff.actions()[0]).toMatchObject({
      url: 'https://eu.example.com/orders/{{order_number}}',
      credential: { last4: '5678' },
    });
  });

  test('a colleague moves the host between the save and the credential: version_conflict, the secret is not stored', async () => {
    const bff = createFakeBff({ actions: [{ ...keyed(), credential: null }] });
    // The colleague's edit lands right after the owner's save is answered.
    let moved = false;
    const racing: typeof bff = {
      ...bff,
      fetch: async (input, init) => {
        const response = await bff.fetch(input, init);
        if (!moved && init.method === 'PUT' && !input.endsWith('/credential') && response.ok) {
          moved = true;
          const saved = (await response.clone().json()) as StoredAction;
          const {
            id: _i,
            chatbotId: _c,
            version,
            createdAt: _a,
            updatedAt: _u,
            credential: _r,
            lastRun: _l,
            ...definition
          } = saved;
          await bff.fetch(input, {
            method: 'PUT',
            headers: { 'If-Match': `"${version}"`, 'Content-Type': 'application/json' },
            body: JSON.stringify({
              ...definition,
              url: 'https://elsewhere.example.net/orders/{{order_number}}',
            }),
          });
        }
        return response;
      },
    };
    const screen = await render(
      <KitFixture bff={racing}>
        <ActionEditor chatbotId="bot_1" actionId="act_lookup_order" guardUnload={false} />
      </KitFixture>,
    );
    await screen.getByLabelText('Credential', { exact: true }).fill('entered-for-api-1111');
    await screen.getByRole('button', { name: 'Save action' }).click();
    await expect.element(screen.getByRole('alert')).toHaveTextContent(/Someone else changed this action/);
    expect(bff.actions()[0]).toMatchObject({
      url: 'https://elsewhere.example.net/orders/{{order_number}}',
      credential: null,
    });
    const credentialCall = bff.calls.find((c) => c.path.endsWith('/credential'));
    expect(credentialCall?.headers['if-match']).toBe('"5"');
    await screen.getByRole('button', { name: 'Reload latest version' }).click();
    await expect
      .element(screen.getByRole('combobox', { name: 'URL' }))
      .toHaveValue('https://elsewhere.example.net/orders/{{order_number}}');
  });

  test('Remove after a colleague’s edit: version_conflict with Reload, and the credential stays', async () => {
    const bff = createFakeBff({ actions: [keyed()] });
    const screen = await connected(bff);
    await expect.element(screen.getByText('•••• 9f3a', { exact: true })).toBeVisible();
    // A colleague turns the action off: version 5.
    await bff.fetch('/api/v1/chatbots/bot_1/actions/act_lookup_order/enabled', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ enabled: false }),
    });
    await screen.getByRole('button', { name: 'Remove', exact: true }).click();
    await screen.getByRole('button', { name: 'Remove credential' }).click();
    await expect.element(screen.getByRole('alert')).toHaveTextContent(/Someone else changed this action/);
    const removal = bff.calls.find((c) => c.method === 'DELETE');
    expect(removal?.headers['if-match']).toBe('"4"');
    expect(bff.actions()[0]?.credential).toEqual({ last4: '9f3a' });
    await expect.element(screen.getByRole('button', { name: 'Reload latest version' })).toBeVisible();
  });
});

describe('ActionEditor: testing a saved action', () => {
  test('an unchanged saved action is tested as saved (its run is recorded); an edited one as a draft', async () => {
    const existing = storedAction({ identifier: 'lookup_order' });
    const bff = createFakeBff({ actions: [existing] });
    const screen = await render(
      <KitFixture bff={bff}>
        <ActionEditor chatbotId="bot_1" actionId={existing.id} guardUnload={false} />
      </KitFixture>,
    );
    await expect.element(screen.getByRole('heading', { name: 'Edit lookup_order' })).toBeVisible();
    const testCalls = () => bff.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/test'));

    await screen.getByRole('textbox', { name: /^Order number/ }).fill('ORD-123');
    await screen.getByRole('button', { name: 'Run test' }).click();
    await vi.waitFor(() => expect(testCalls()).toHaveLength(1));
    expect(testCalls()[0]?.path).toBe(`/api/v1/chatbots/bot_1/actions/${existing.id}/test`);
    expect(testCalls()[0]?.body).not.toHaveProperty('action');

    await screen.getByLabelText('Description').fill('Look up an order, edited.');
    await screen.getByRole('button', { name: 'Run test' }).click();
    await vi.waitFor(() => expect(testCalls()).toHaveLength(2));
    expect(testCalls()[1]?.path).toBe('/api/v1/chatbots/bot_1/actions/test');
    expect(testCalls()[1]?.body).toMatchObject({ action: { description: 'Look up an order, edited.' } });
  });
});

describe('ActionEditor: accessibility', () => {
  test('axe finds no violations on a blank editor and on one full of errors', async () => {
    const screen = await editor({
      onSubmit: () => {},
      onTest: async () => ({ ok: true, status: 200, headers: {}, body: '', truncated: false, durationMs: 1 }),
    });
    expect(await axeViolations(screen.container)).toEqual([]);
    await screen.getByRole('combobox', { name: 'URL' }).fill('http://x/{{identity.email}}');
    await screen.getByRole('button', { name: 'Save action' }).click();
    await expect.element(screen.getByRole('alert').first()).toBeVisible();
    expect(await axeViolations(screen.container)).toEqual([]);
  });
});

describe('ActionEditor: curl import', () => {
  test('prefills method, URL, headers and body, and turns marked values into parameters', async () => {
    const screen = await editor({});
    await screen.getByRole('button', { name: 'Import from curl' }).click();
    await screen
      .getByLabelText('curl command')
      .fill(
        `curl -X POST 'https://api.example.com/tickets?lang=en' -H 'Content-Type: application/json' -H 'Authorization: Bearer sk_secret_1' -d '{"subject":"Broken","email":"ann@example.com"}'`,
      );
    await screen.getByRole('button', { name: 'Import' }).click();
    await expect.element(screen.getByText(/The command carried a credential/)).toBeVisible();
    await screen.getByRole('checkbox', { name: 'email = ann@example.com' }).click();
    await screen.getByRole('button', { name: 'Import' }).click();
    await expect.element(screen.getByLabelText('HTTP method')).toHaveValue('POST');
    await expect
      .element(screen.getByRole('combobox', { name: 'URL' }))
      .toHaveValue('https://api.example.com/tickets?lang=en');
    await expect
      .element(screen.getByRole('textbox', { name: 'Body' }))
      .toHaveValue(JSON.stringify({ subject: 'Broken', email: '{{email}}' }, null, 2));
    await expect.element(screen.getByRole('textbox', { name: 'Name parameter 1' })).toHaveValue('email');
    await expect.element(screen.getByRole('combobox', { name: 'Type parameter 1' })).toHaveValue('email');
    await expect.element(screen.getByRole('radio', { name: 'Bearer token' })).toBeChecked();
    expect(document.body.innerHTML).not.toContain('sk_secret_1');
  });
});

describe('ActionEditor: parts', () => {
  test('a part outside ActionEditor.Root throws a message naming both', async () => {
    const errors: unknown[] = [];
    const onError = (event: ErrorEvent) => {
      errors.push(event.error);
      event.preventDefault();
    };
    window.addEventListener('error', onError);
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      await expect(render(<ActionEditor.Basics />)).rejects.toThrow(
        '`ActionEditor.Basics` must be used within `ActionEditor.Root`.',
      );
    } finally {
      spy.mockRestore();
      window.removeEventListener('error', onError);
    }
  });

  test('the default composition has every section, in the product’s order', async () => {
    const screen = await editor({ defaultValue: valid, onTest: async () => okTestResult });
    const sections = Array.from(screen.container.querySelectorAll('[data-slot="editor-section"]')).map((s) =>
      s.getAttribute('data-section'),
    );
    expect(sections).toEqual(['basics', 'parameters', 'request', 'auth', 'identity', 'visitor', 'test']);
  });
});
