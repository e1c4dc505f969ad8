import type { ActionDefinition } from '@aihio/actions-core';

/**
 * Where the seeded examples call the sandbox: its host name on port 443, because actions may name
 * no other port. The name resolves nowhere; `npm start` gives the BFF the development-only
 * `AIHIO_DEV_HOST_MAP=sandbox.aihio.test=127.0.0.1:<port>` (which admits that address for that
 * name only) and the sandbox's CA, so egress dials the sandbox on whatever free port it got and still checks its
 * certificate for sandbox.aihio.test.
 */
export const SANDBOX_ORIGIN = 'https://sandbox.aihio.test';

/** Where examples seeded before the host map called the sandbox (on port 443, which needed root). */
export const LEGACY_SANDBOX_ORIGIN = 'https://127.0.0.1';

/** The Bearer token stored for `create_ticket`: the sandbox accepts any token starting `demo_`. */
export const DEMO_TICKET_TOKEN = 'demo_sandbox_token_4f2a';

/** The demo's example actions, the two the product text mentions, calling the sandbox upstream. */
export function exampleActions(origin = SANDBOX_ORIGIN): ActionDefinition[] {
  return [
    {
      identifier: 'lookup_order',
      visitorLabel: 'Looking up your order',
      description: "Look up a customer's order status by order number.",
      method: 'GET',
      url: `${origin}/orders/{{order_number}}`,
      headers: [{ name: 'Accept', value: 'application/json' }],
      body: null,
      parameters: [
        {
          name: 'order_number',
          label: 'Order number',
          type: 'text',
          hint: 'Customer order number, such as ORD-123',
          required: true,
        },
      ],
      auth: { type: 'none' },
      requireVerifiedIdentity: false,
      enabled: true,
    },
    {
      identifier: 'create_ticket',
      visitorLabel: 'Opening a support ticket',
      description:
        'Open a support ticket when the customer reports a problem the conversation cannot solve, such as a broken or missing item.',
      method: 'POST',
      url: `${origin}/tickets`,
      headers: [{ name: 'Content-Type', value: 'application/json' }],
      body: '{"subject": "{{subject}}", "message": "{{message}}", "email": "{{email}}"}',
      parameters: [
        {
          name: 'subject',
          label: 'Subject',
          type: 'text',
          hint: 'A short summary of the problem',
          required: true,
        },
        {
          name: 'message',
          label: 'Message',
          type: 'text',
          hint: 'The problem in the customer’s own words',
          required: true,
        },
        {
          name: 'email',
          label: 'Email',
          type: 'email',
          hint: 'Where the customer wants the answer',
          required: true,
        },
      ],
      auth: { type: 'bearer' },
      requireVerifiedIdentity: false,
      enabled: true,
    },
  ];
}
