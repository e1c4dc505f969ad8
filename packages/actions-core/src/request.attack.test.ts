import { describe, expect, it } from 'vitest';
import type { ActionDefinition } from './action';
import type { IssueCode } from './errors';
import { type RenderResult, renderRequest } from './render';
import { textParameter, validAction } from './test-fixtures';
import { validateAction } from './validate';

/**
 * Regression tests from the security review: each case is an attack on the request template or on
 * the values an agent fills in, and each once got through.
 */

function codes(input: unknown): IssueCode[] {
  const result = validateAction(input);
  return result.ok ? [] : result.errors.map((e) => e.code);
}

function errorCodes(result: RenderResult): IssueCode[] {
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result.request)}`);
  return result.errors.map((e) => e.code);
}

const post = (overrides: Partial<ActionDefinition>) =>
  validAction({ method: 'POST', url: 'https://api.example.com/orders', ...overrides });

describe('a literal % must start a %XX escape', () => {
  // Otherwise the value's first characters finish the escape: `%` + `00` is a NUL, `%` + `0d`
  // and `%` + `0a` a line break, `%` + `2F` a slash, once the server decodes the path.
  it.each([
    'https://api.example.com/orders/%{{order_number}}',
    'https://api.example.com/orders/%2{{order_number}}',
    'https://api.example.com/orders?q=%{{order_number}}',
    'https://api.example.com/100%/{{order_number}}',
  ])('refuses %s', (url) => {
    expect(codes(validAction({ url }))).toContain('url_invalid');
  });

  it('still accepts complete escapes next to a placeholder', () => {
    expect(codes(validAction({ url: 'https://api.example.com/a%20b/{{order_number}}?q=%2F' }))).toEqual([]);
  });

  it('refuses a form body whose % a value would complete, accepts a complete escape', () => {
    const form = [{ name: 'Content-Type', value: 'application/x-www-form-urlencoded' }];
    expect(codes(post({ headers: form, body: 'q=%{{order_number}}' }))).toContain('body_invalid');
    expect(codes(post({ headers: form, body: 'q=%2B{{order_number}}' }))).toEqual([]);
  });
});

describe('Content-Type must be one media type', () => {
  // PHP (and other parsers) cut a Content-Type at a comma or a space: with
  // `application/x-www-form-urlencoded, charset=utf-8` we would send the body as JSON while the
  // server reads a form, and a value `x&admin=1` inside a JSON string would add a form field.
  it.each([
    'application/x-www-form-urlencoded, charset=utf-8',
    'application/x-www-form-urlencoded charset=utf-8',
    'application/json, application/x-www-form-urlencoded',
    'application/json;charset=utf-8, text/plain',
    'json',
  ])('refuses %j', (value) => {
    const action = post({ headers: [{ name: 'Content-Type', value }], body: '{"q":"{{order_number}}"}' });
    expect(codes(action)).toContain('header_value_invalid');
  });

  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'application/json;charset="utf-8"',
    'application/vnd.api+json',
  ])('accepts %j', (value) => {
    const action = post({ headers: [{ name: 'Content-Type', value }], body: '{"q":"{{order_number}}"}' });
    expect(codes(action)).toEqual([]);
  });
});

describe('the API-key header cannot be Content-Type', () => {
  it('refuses it: the credential would decide how the body is read', () => {
    const action = post({
      auth: { type: 'api_key', headerName: 'content-type' },
      body: '{"q":"{{order_number}}"}',
    });
    expect(codes(action)).toContain('auth_header_name_invalid');
  });
});

describe('path values cannot carry a dot-segment behind a slash', () => {
  // Servers and proxies that decode %2F (or read %5C as a slash, or fold full-width dots with
  // NFKC) before routing would see `../admin` in these values.
  const action = validAction();
  it.each([
    '../admin',
    '../../admin',
    'a/../../admin',
    'x/..',
    '..\\admin',
    'a\\..\\..\\b',
    '..%2fadmin',
    '..%252f..%252fadmin',
    '%2e%2e%2fadmin',
    '．．',
    '．．/admin',
    '/./',
  ])('refuses %j', (value) => {
    expect(errorCodes(renderRequest(action, { order_number: value }))).toEqual(['value_path_segment']);
  });

  it.each(['2024/15', 'a..b', '...', 'v1.2/x', 'a\\b'])('still sends %j as one segment', (value) => {
    const result = renderRequest(action, { order_number: value });
    expect(result.ok).toBe(true);
  });

  it('leaves query values alone: dots there are data', () => {
    const query = validAction({
      url: 'https://api.example.com/orders?path={{order_number}}',
      parameters: [textParameter('order_number')],
    });
    expect(renderRequest(query, { order_number: '../../admin' }).ok).toBe(true);
  });
});
