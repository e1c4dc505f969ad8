import { describe, expect, it } from 'vitest';
import { confirmationOf, HTTP_METHODS, needsConfirmation } from './action';
import { summarizeCall } from './confirmation';
import { textParameter, validAction } from './test-fixtures';

describe('needsConfirmation', () => {
  it('auto (and absent, as in actions stored before the field) asks for every method but GET', () => {
    for (const method of HTTP_METHODS) {
      expect(needsConfirmation(validAction({ method })), method).toBe(method !== 'GET');
      expect(needsConfirmation(validAction({ method, confirmation: 'auto' })), method).toBe(method !== 'GET');
    }
    expect(confirmationOf(validAction())).toBe('auto');
  });

  it('always asks and never does not, whatever the method', () => {
    for (const method of HTTP_METHODS) {
      expect(needsConfirmation(validAction({ method, confirmation: 'always' })), method).toBe(true);
      expect(needsConfirmation(validAction({ method, confirmation: 'never' })), method).toBe(false);
    }
  });
});

describe('summarizeCall', () => {
  const ticket = validAction({
    identifier: 'create_ticket',
    description: 'Open a support ticket.',
    method: 'POST',
    url: 'https://api.example.com/tickets',
    headers: [{ name: 'X-Static-Key', value: 'static-secret-value' }],
    body: '{"subject":"{{subject}}","who":"{{identity.email}}"}',
    requireVerifiedIdentity: true,
    auth: { type: 'bearer' },
    parameters: [textParameter('subject', { label: 'Subject' }), textParameter('note', { required: false })],
  });

  it('says what is sent where, in plain language', () => {
    const summary = summarizeCall(ticket, { subject: 'Printer broken', note: null, extra: 'ignored' });
    expect(summary).toEqual({
      text: 'Open a support ticket: this sends Subject “Printer broken” and your email address to api.example.com.',
      action: 'create_ticket',
      label: null,
      method: 'POST',
      host: 'api.example.com',
      values: [{ name: 'subject', label: 'Subject', value: 'Printer broken' }],
      identityFields: ['email'],
    });
  });

  it('leads with the visitor label, and never shows a header value', () => {
    const summary = summarizeCall(
      { ...ticket, visitorLabel: 'Creating your ticket' },
      { subject: 'Hi', note: 'Floor 2' },
    );
    expect(summary.text).toBe(
      'Creating your ticket: this sends Subject “Hi”, note “Floor 2” and your email address to api.example.com.',
    );
    expect(JSON.stringify(summary)).not.toContain('static-secret-value');
  });

  it('a call without values names only the host', () => {
    const summary = summarizeCall(
      validAction({ method: 'DELETE', url: 'https://api.example.com/cart', parameters: [] }),
      {},
    );
    expect(summary.text).toBe(
      'Look up a customer’s order status by order number: this calls api.example.com.',
    );
  });
});
