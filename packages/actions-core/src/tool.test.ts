import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toolDefinitionSchema } from './api';
import { textParameter, validAction } from './test-fixtures';
import { PHONE_PATTERN, toToolDefinition } from './tool';

const action = validAction({
  identifier: 'book_time',
  description: '  Book a time with the customer’s email and phone.  ',
  method: 'POST',
  url: 'https://api.example.com/bookings/{{slot}}',
  body: '{"email":"{{email}}","phone":"{{phone}}","who":"{{identity.user_id}}"}',
  requireVerifiedIdentity: true,
  parameters: [
    textParameter('slot', { label: 'Time slot', hint: 'An ISO time such as 2026-01-31T10:00' }),
    textParameter('email', { label: 'Email', type: 'email' }),
    textParameter('phone', { label: 'Phone', type: 'phone' }),
    textParameter('note', { label: 'Note', required: false }),
  ],
});

describe('toToolDefinition', () => {
  const tool = toToolDefinition(action);

  it('describes the parameters as a JSON Schema object', () => {
    expect(tool).toEqual({
      name: 'book_time',
      description: 'Book a time with the customer’s email and phone.',
      parameters: {
        type: 'object',
        properties: {
          slot: {
            type: 'string',
            maxLength: 2048,
            description: 'Time slot: An ISO time such as 2026-01-31T10:00',
          },
          email: { type: 'string', format: 'email', maxLength: 2048, description: 'Email' },
          phone: {
            type: 'string',
            pattern: PHONE_PATTERN,
            maxLength: 2048,
            description: 'Phone (phone number in international format, e.g. +358401234567)',
          },
          note: { type: 'string', maxLength: 2048, description: 'Note' },
        },
        required: ['slot', 'email', 'phone'],
        additionalProperties: false,
      },
    });
    expect(toolDefinitionSchema.parse(tool)).toEqual(tool);
  });

  it('leaves identity fields to the server', () => {
    expect(Object.keys(tool.parameters.properties)).not.toContain('identity.user_id');
    expect(JSON.stringify(tool)).not.toContain('identity');
  });

  it('is a JSON Schema a validator accepts and applies', () => {
    // zod reads the schema as a JSON Schema validator would: a malformed schema would throw here.
    const schema = z.fromJSONSchema(tool.parameters as Parameters<typeof z.fromJSONSchema>[0]);
    const good = { slot: '2026-01-31T10:00', email: 'a@example.com', phone: '+358 40 123 4567' };
    expect(schema.safeParse(good).success).toBe(true);
    expect(schema.safeParse({ ...good, note: 'hi' }).success).toBe(true);
    expect(schema.safeParse({ slot: 'x', email: 'a@example.com' }).success).toBe(false); // phone required
    expect(schema.safeParse({ ...good, email: 'nope' }).success).toBe(false);
    expect(schema.safeParse({ ...good, phone: 'call me' }).success).toBe(false);
    expect(schema.safeParse({ ...good, extra: 1 }).success).toBe(false);
    expect(schema.safeParse({ ...good, slot: 5 }).success).toBe(false);
  });

  it('lets the phone pattern through the forms people write and not prose', () => {
    const pattern = new RegExp(PHONE_PATTERN);
    for (const phone of ['+358401234567', '+1 (415) 555-0100', '040 123 4567', '+44 20.7946.0958']) {
      expect(pattern.test(phone), phone).toBe(true);
    }
    for (const phone of ['call me', '12', '+358 40 123 4567 ext. 5']) {
      expect(pattern.test(phone), phone).toBe(false);
    }
  });
});

describe('toToolDefinition: typed parameters', () => {
  const typed = validAction({
    url: 'https://api.example.com/orders?q={{qty}}&p={{price}}&g={{gift}}&s={{status}}&d={{day}}',
    parameters: [
      textParameter('qty', { type: 'integer', label: 'Quantity' }),
      textParameter('price', { type: 'number', label: 'Price' }),
      textParameter('gift', { type: 'boolean', label: 'Gift' }),
      textParameter('status', { type: 'enum', label: 'Status', choices: ['open', 'closed'] }),
      textParameter('day', { type: 'date', label: 'Day' }),
    ],
  });
  const tool = toToolDefinition(typed);

  it('says the type of each parameter', () => {
    expect(tool.parameters.properties).toEqual({
      qty: { type: 'integer', minimum: -(2 ** 53), maximum: 2 ** 53, description: 'Quantity' },
      price: { type: 'number', description: 'Price' },
      gift: { type: 'boolean', description: 'Gift' },
      status: { type: 'string', enum: ['open', 'closed'], description: 'Status' },
      day: { type: 'string', format: 'date', description: 'Day (calendar date as YYYY-MM-DD)' },
    });
  });

  it('is a JSON Schema that accepts the typed values and refuses the wrong types', () => {
    const schema = z.fromJSONSchema(tool.parameters as Parameters<typeof z.fromJSONSchema>[0]);
    const good = { qty: 3, price: 2.5, gift: true, status: 'open', day: '2026-01-31' };
    expect(schema.safeParse(good).success).toBe(true);
    expect(schema.safeParse({ ...good, qty: 3.5 }).success).toBe(false);
    expect(schema.safeParse({ ...good, price: 'x' }).success).toBe(false);
    expect(schema.safeParse({ ...good, gift: 'yes' }).success).toBe(false);
    expect(schema.safeParse({ ...good, status: 'pending' }).success).toBe(false);
    expect(schema.safeParse({ ...good, day: '31.1.2026' }).success).toBe(false);
  });
});
