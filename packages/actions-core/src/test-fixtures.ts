import type { ActionDefinition, ActionParameter } from './action';

/** A valid action to vary in tests: GET https://api.example.com/orders/{{order_number}}. */
export function validAction(overrides: Partial<ActionDefinition> = {}): ActionDefinition {
  return {
    identifier: 'lookup_order',
    description: 'Look up a customer’s order status by order number.',
    method: 'GET',
    url: 'https://api.example.com/orders/{{order_number}}',
    headers: [],
    body: null,
    parameters: [textParameter('order_number')],
    auth: { type: 'none' },
    requireVerifiedIdentity: false,
    enabled: true,
    ...overrides,
  };
}

export function textParameter(name: string, overrides: Partial<ActionParameter> = {}): ActionParameter {
  return { name, label: name.replace(/_/g, ' '), type: 'text', required: true, ...overrides };
}
