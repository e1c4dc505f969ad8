import { type ActionDefinition, toToolDefinition } from '@aihio/actions-core';
import { describe, expect, it } from 'vitest';
import { exampleActions } from '../dev/examples';
import { chooseToolCall, extractArgument } from './model';

const tools = exampleActions().map((action: ActionDefinition) => toToolDefinition(action));

describe('the fake model', () => {
  it('picks lookup_order and reads the order number shaped like the hint example', () => {
    expect(chooseToolCall('Hi! where is my order ord-123 please', tools)).toEqual({
      name: 'lookup_order',
      arguments: { order_number: 'ORD-123' },
    });
  });

  it('picks create_ticket with subject, message and email from the message', () => {
    const message = 'My lamp arrived broken. Please open a ticket, my email is ann@example.com';
    expect(chooseToolCall(message, tools)).toEqual({
      name: 'create_ticket',
      arguments: { subject: 'My lamp arrived broken.', message, email: 'ann@example.com' },
    });
  });

  it('calls nothing when a required value is missing or no tool fits', () => {
    expect(chooseToolCall('where is my order?', tools)).toBeNull();
    expect(chooseToolCall('what a lovely day', tools)).toBeNull();
  });

  it('is deterministic: the same message always gives the same call', () => {
    const message = 'order ORD-789 status';
    expect(chooseToolCall(message, tools)).toEqual(chooseToolCall(message, [...tools]));
  });

  it('reads phone numbers for phone parameters', () => {
    expect(
      extractArgument('phone', { type: 'string', pattern: '^x$' }, 'call me at +358 40 123 4567 today'),
    ).toBe('+358 40 123 4567');
  });
});
