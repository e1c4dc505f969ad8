import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toolDefinitionSchema } from './api';
import { renderRequest } from './render';
import { textParameter, validAction } from './test-fixtures';
import { CONFIRMATION_NOTE, PHONE_PATTERN, TOOL_FORMATS, toToolDefinition } from './tool';
import { toolRuleViolations } from './tool-rules';
import {
  isSimplePattern,
  type JsonSchemaObject,
  toAnthropicSchema,
  toOpenAIStrictSchema,
} from './tool-schema';

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
      // A POST: the visitor confirms it (confirmation `auto`), and the description says so.
      description: `Book a time with the customer’s email and phone.\n\n${CONFIRMATION_NOTE}`,
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

describe('toToolDefinition formats', () => {
  const lookup = validAction({
    visitorLabel: 'Looking up your order',
    parameters: [
      textParameter('order_number', { hint: 'Such as ORD-123' }),
      textParameter('email', { type: 'email', required: false }),
      textParameter('phone', { type: 'phone', required: false }),
    ],
  });
  const create = validAction({
    identifier: 'create_ticket',
    description: 'Open a support ticket.',
    method: 'POST',
    url: 'https://api.example.com/tickets',
    body: '{"subject":"{{subject}}"}',
    parameters: [textParameter('subject'), textParameter('note', { required: false })],
  });
  const remove = validAction({ method: 'DELETE', confirmation: 'never' });
  const actions = [lookup, create, remove, action];

  it.each(TOOL_FORMATS)('%s: every action obeys the provider’s rules', (format) => {
    for (const a of actions) {
      expect(toolRuleViolations(toToolDefinition(a, { format }), format), `${a.identifier}`).toEqual([]);
    }
  });

  it('the default format is json-schema', () => {
    expect(toToolDefinition(lookup, { format: 'json-schema' })).toEqual(toToolDefinition(lookup));
  });

  it('openai: Chat Completions shape, strict, optional parameters as [T, "null"], no lengths', () => {
    const tool = toToolDefinition(lookup, { format: 'openai' });
    expect(tool.type).toBe('function');
    expect(tool.function.strict).toBe(true);
    expect(tool.function.name).toBe('lookup_order');
    const { parameters } = tool.function;
    expect(parameters.required).toEqual(['order_number', 'email', 'phone']);
    expect(parameters.additionalProperties).toBe(false);
    expect(parameters.properties.order_number).toEqual({
      type: 'string',
      description: 'order number: Such as ORD-123',
    });
    expect(parameters.properties.email).toMatchObject({ type: ['string', 'null'], format: 'email' });
    expect(parameters.properties.phone).toMatchObject({ type: ['string', 'null'], pattern: PHONE_PATTERN });
    expect(JSON.stringify(parameters)).not.toContain('maxLength');
  });

  it('openai-responses: the flat Responses shape with the same schema', () => {
    const chat = toToolDefinition(lookup, { format: 'openai' });
    expect(toToolDefinition(lookup, { format: 'openai-responses' })).toEqual({
      type: 'function',
      name: 'lookup_order',
      description: chat.function.description,
      parameters: chat.function.parameters,
      strict: true,
    });
  });

  it('openai: a strict answer that leaves an optional parameter out (null) validates and renders', () => {
    const { parameters } = toToolDefinition(create, { format: 'openai' }).function;
    const schema = z.fromJSONSchema(parameters as Parameters<typeof z.fromJSONSchema>[0]);
    const answer = { subject: 'Printer broken', note: null };
    expect(schema.safeParse(answer).success).toBe(true);
    expect(schema.safeParse({ subject: 'Printer broken' }).success).toBe(false); // strict: all keys present
    const rendered = renderRequest(create, answer);
    expect(rendered.ok && rendered.request.body).toBe('{"subject":"Printer broken"}');
    // Null for a required parameter is still refused.
    expect(renderRequest(create, { subject: null }).ok).toBe(false);
  });

  it('anthropic: input_schema, strict, optional stays optional, no lengths', () => {
    const tool = toToolDefinition(lookup, { format: 'anthropic' });
    expect(tool).toMatchObject({ name: 'lookup_order', strict: true });
    expect(tool.input_schema.required).toEqual(['order_number']);
    expect(tool.input_schema.properties.email).toEqual({
      type: 'string',
      format: 'email',
      description: 'email',
    });
    expect(JSON.stringify(tool)).not.toMatch(/maxLength|minLength|"parameters"/);
  });

  it('mcp: input schema as GET …/tools, title from the visitor label, hints from the method', () => {
    const tool = toToolDefinition(lookup, { format: 'mcp' });
    expect(tool.inputSchema).toEqual(toToolDefinition(lookup).parameters);
    expect(tool.description).toBe(toToolDefinition(lookup).description);
    expect(tool.title).toBe('Looking up your order');
    expect(tool.annotations).toEqual({
      title: 'Looking up your order',
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: true,
    });
    expect(toToolDefinition(create, { format: 'mcp' }).annotations).toEqual({
      readOnlyHint: false,
      destructiveHint: false,
      openWorldHint: true,
    });
    expect(toToolDefinition(validAction({ method: 'PUT' }), { format: 'mcp' }).annotations).toEqual({
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: true,
    });
    expect(toToolDefinition(remove, { format: 'mcp' }).annotations).toEqual({
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: true,
      openWorldHint: true,
    });
  });

  it('the description says when the visitor confirms', () => {
    expect(toToolDefinition(lookup).description).not.toContain(CONFIRMATION_NOTE); // GET, auto
    expect(toToolDefinition(create).description).toBe(`Open a support ticket.\n\n${CONFIRMATION_NOTE}`);
    expect(toToolDefinition(remove).description).not.toContain(CONFIRMATION_NOTE); // never
    const always = validAction({ confirmation: 'always' });
    for (const format of TOOL_FORMATS) {
      expect(JSON.stringify(toToolDefinition(always, { format })), format).toContain('confirmation_required');
    }
  });
});

/** What the typed parameters (number, integer, boolean, enum, date) make of a schema, and worse. */
const typedParameters: JsonSchemaObject = {
  type: 'object',
  properties: {
    quantity: { type: 'integer', minimum: 1, maximum: 10, description: 'How many' },
    price: { type: 'number', exclusiveMinimum: 0, multipleOf: 0.01 },
    gift: { type: 'boolean', description: 'Gift wrap' },
    size: { type: 'string', enum: ['S', 'M', 'L'], description: 'Size' },
    day: { type: 'string', format: 'date', description: 'Delivery day' },
    site: { type: 'string', format: 'uri', maxLength: 200 },
    code: { type: 'string', pattern: '^(?=.*\\d)\\b[A-Z]{3}\\1$', minLength: 3 },
    choice: { enum: ['a', 'b'] },
    address: {
      type: 'object',
      properties: { street: { type: 'string', maxLength: 100 }, zip: { type: 'string' } },
      required: ['street'],
    },
    tags: { type: 'array', items: { type: 'string', maxLength: 20 }, minItems: 2, maxItems: 5 },
  },
  required: ['quantity', 'size', 'day'],
  additionalProperties: false,
};

describe('strict schema converters on every shape a parameter can take', () => {
  const openai = toOpenAIStrictSchema(typedParameters);
  const anthropic = toAnthropicSchema(typedParameters);

  it('the rule checkers catch the unconverted schema', () => {
    const wrap = (parameters: unknown) => ({
      type: 'function',
      function: { name: 'x', description: '', parameters, strict: true },
    });
    const openaiRaw = toolRuleViolations(wrap(typedParameters), 'openai');
    expect(openaiRaw).toEqual(
      expect.arrayContaining([
        'function.parameters: property price must be in required',
        'function.parameters.properties.site: format uri is not supported',
        'function.parameters.properties.site: keyword maxLength is not supported in strict mode',
        'function.parameters.properties.address: additionalProperties must be false',
      ]),
    );
    const anthropicRaw = toolRuleViolations(
      { name: 'x', description: '', input_schema: typedParameters, strict: true },
      'anthropic',
    );
    expect(anthropicRaw).toEqual(
      expect.arrayContaining([
        'input_schema.properties.quantity: minimum is not supported',
        'input_schema.properties.code: pattern ^(?=.*\\d)\\b[A-Z]{3}\\1$ uses lookaround, a backreference or \\b',
        'input_schema.properties.address: additionalProperties must be false',
      ]),
    );
    expect(toolRuleViolations({ name: 'bad name!', description: '', input_schema: {} }, 'anthropic')).toEqual(
      expect.arrayContaining(['strict must be true', 'input_schema: the root must be an object schema']),
    );
  });

  it('openai: converted, the schema obeys every rule', () => {
    expect(
      toolRuleViolations(
        { type: 'function', function: { name: 'x', description: '', parameters: openai, strict: true } },
        'openai',
      ),
    ).toEqual([]);
    expect(openai.required).toEqual(Object.keys(typedParameters.properties));
    expect(openai.properties.quantity).toEqual(typedParameters.properties.quantity); // required: as is
    expect(openai.properties.price).toMatchObject({ type: ['number', 'null'], exclusiveMinimum: 0 });
    expect(openai.properties.gift).toMatchObject({ type: ['boolean', 'null'] });
    expect(openai.properties.size).toEqual({ type: 'string', enum: ['S', 'M', 'L'], description: 'Size' });
    expect(openai.properties.day).toMatchObject({ type: 'string', format: 'date' });
    expect(openai.properties.site).toMatchObject({
      type: ['string', 'null'],
      description: expect.stringContaining('format: uri'),
    });
    expect(openai.properties.site).not.toHaveProperty('format');
    expect(openai.properties.choice).toMatchObject({ anyOf: [{ enum: ['a', 'b'] }, { type: 'null' }] });
    expect(openai.properties.address).toMatchObject({
      type: ['object', 'null'],
      required: ['street', 'zip'],
      additionalProperties: false,
      properties: { zip: { type: ['string', 'null'] } },
    });
    // A strict answer validates against the converted schema.
    const schema = z.fromJSONSchema(openai as Parameters<typeof z.fromJSONSchema>[0]);
    const answer = {
      quantity: 2,
      price: null,
      gift: null,
      size: 'M',
      day: '2026-12-24',
      site: null,
      code: null,
      choice: null,
      address: null,
      tags: null,
    };
    expect(schema.safeParse(answer).success).toBe(true);
    expect(schema.safeParse({ ...answer, size: 'XL' }).success).toBe(false);
  });

  it('anthropic: converted, the schema obeys every rule and keeps what it can', () => {
    expect(
      toolRuleViolations({ name: 'x', description: '', input_schema: anthropic, strict: true }, 'anthropic'),
    ).toEqual([]);
    expect(anthropic.required).toEqual(['quantity', 'size', 'day']);
    expect(anthropic.properties.quantity).toEqual({
      type: 'integer',
      description: 'How many (at least 1, at most 10)',
    });
    expect(anthropic.properties.price).toEqual({
      type: 'number',
      description: 'more than 0, a multiple of 0.01',
    });
    expect(anthropic.properties.site).toEqual({ type: 'string', format: 'uri' });
    expect(anthropic.properties.code).toEqual({ type: 'string' });
    expect(anthropic.properties.tags).toEqual({ type: 'array', items: { type: 'string' }, minItems: 1 });
    expect(anthropic.properties.address).toMatchObject({ additionalProperties: false, required: ['street'] });
  });

  it('tells a simple pattern from one with lookaround, backreferences or word boundaries', () => {
    for (const simple of [PHONE_PATTERN, '^[A-Z]{3}-\\d+$', '^a\\\\b$', '(?:ab)+']) {
      expect(isSimplePattern(simple), simple).toBe(true);
    }
    for (const complex of ['(?=a)', '(?!a)', '(?<=a)b', '(?<!a)b', '(a)\\1', '\\bword', '(?<n>a)\\k<n>']) {
      expect(isSimplePattern(complex), complex).toBe(false);
    }
  });
});
