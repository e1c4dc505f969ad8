import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ActionDefinition } from './action';
import type { IssueCode } from './errors';
import { textParameter, validAction } from './test-fixtures';
import { findPlaceholderUsages, usesIdentity } from './usages';
import { validateAction } from './validate';

type Case = [name: string, input: unknown, expected: { code: IssueCode; path: (string | number)[] } | 'ok'];

const post = (body: string, overrides: Partial<ActionDefinition> = {}) =>
  validAction({ method: 'POST', body, ...overrides });
const withUrl = (url: string, overrides: Partial<ActionDefinition> = {}) =>
  validAction({ url, ...overrides });
const withHeaders = (headers: ActionDefinition['headers'], overrides: Partial<ActionDefinition> = {}) =>
  validAction({ headers, ...overrides });
const form = [{ name: 'Content-Type', value: 'application/x-www-form-urlencoded' }];
const tooLong = (n: number) => 'a'.repeat(n);

// Each rule has at least one passing and one failing row.
const cases: Case[] = [
  // shape (zod)
  ['a complete action', validAction(), 'ok'],
  ['not an object', null, { code: 'invalid_type', path: [] }],
  [
    'missing identifier',
    { ...validAction(), identifier: undefined },
    { code: 'required', path: ['identifier'] },
  ],
  [
    'identifier of the wrong type',
    { ...validAction(), identifier: 5 },
    { code: 'invalid_type', path: ['identifier'] },
  ],
  ['identifier of 64 characters', validAction({ identifier: `a${'b'.repeat(63)}` }), 'ok'],
  [
    'identifier of 65 characters',
    validAction({ identifier: tooLong(65) }),
    { code: 'too_long', path: ['identifier'] },
  ],
  [
    '33 headers',
    withHeaders(Array.from({ length: 33 }, (_, i) => ({ name: `X-H${i}`, value: 'v' }))),
    {
      code: 'too_many',
      path: ['headers'],
    },
  ],
  ['an unknown method', { ...validAction(), method: 'TRACE' }, { code: 'invalid_type', path: ['method'] }],
  [
    'an unknown auth type',
    { ...validAction(), auth: { type: 'oauth' } },
    { code: 'invalid_type', path: ['auth', 'type'] },
  ],
  ['a missing auth type', { ...validAction(), auth: {} }, { code: 'required', path: ['auth', 'type'] }],
  [
    'an unknown parameter type',
    validAction({ parameters: [{ ...textParameter('order_number'), type: 'decimal' as never }] }),
    {
      code: 'parameter_type',
      path: ['parameters', 0, 'type'],
    },
  ],
  // identifier and description
  [
    'identifier in CamelCase',
    validAction({ identifier: 'LookupOrder' }),
    { code: 'identifier_format', path: ['identifier'] },
  ],
  [
    'identifier with a dash',
    validAction({ identifier: 'lookup-order' }),
    { code: 'identifier_format', path: ['identifier'] },
  ],
  [
    'identifier starting with a digit',
    validAction({ identifier: '1lookup' }),
    { code: 'identifier_format', path: ['identifier'] },
  ],
  ['empty identifier', validAction({ identifier: '' }), { code: 'identifier_format', path: ['identifier'] }],
  [
    'blank description',
    validAction({ description: '  \n ' }),
    { code: 'description_blank', path: ['description'] },
  ],
  // parameters
  [
    'parameter name with spaces',
    validAction({ parameters: [textParameter('Order Number')], url: 'https://a.example.com/' }),
    {
      code: 'parameter_name_format',
      path: ['parameters', 0, 'name'],
    },
  ],
  [
    'duplicate parameter names',
    validAction({ parameters: [textParameter('order_number'), textParameter('order_number')] }),
    {
      code: 'parameter_name_duplicate',
      path: ['parameters', 1, 'name'],
    },
  ],
  [
    'blank label',
    validAction({ parameters: [textParameter('order_number', { label: ' ' })] }),
    {
      code: 'label_blank',
      path: ['parameters', 0, 'label'],
    },
  ],
  [
    'an unused optional parameter',
    validAction({ parameters: [textParameter('order_number'), textParameter('note', { required: false })] }),
    'ok',
  ],
  [
    'a used optional parameter',
    validAction({ parameters: [textParameter('order_number', { required: false })] }),
    {
      code: 'placeholder_parameter_optional',
      path: ['parameters', 0, 'required'],
    },
  ],
  // url
  [
    'a URL with a query value placeholder',
    withUrl('https://api.example.com/orders?id={{order_number}}&x=1'),
    'ok',
  ],
  ['a URL with port 443', withUrl('https://api.example.com:443/orders/{{order_number}}'), 'ok'],
  [
    'an http URL',
    withUrl('http://api.example.com/orders/{{order_number}}'),
    { code: 'url_not_https', path: ['url'] },
  ],
  ['an ftp URL', withUrl('ftp://api.example.com/{{order_number}}'), { code: 'url_not_https', path: ['url'] }],
  [
    'https without slashes',
    withUrl('https:api.example.com/{{order_number}}'),
    { code: 'url_not_https', path: ['url'] },
  ],
  [
    'extra slashes before a placeholder host',
    withUrl('https:///{{order_number}}'),
    { code: 'url_placeholder_position', path: ['url'] },
  ],
  [
    'a URL that does not parse',
    withUrl('https://exa mple.com:99999/{{order_number}}'),
    { code: 'url_invalid', path: ['url'] },
  ],
  [
    'a URL with an invalid port',
    withUrl('https://example.com:99999/{{order_number}}'),
    { code: 'url_invalid', path: ['url'] },
  ],
  [
    'a URL with a space',
    withUrl('https://api.example.com/a b/{{order_number}}'),
    { code: 'url_invalid', path: ['url'] },
  ],
  [
    'a URL with a backslash',
    withUrl('https://api.example.com/a\\{{order_number}}'),
    { code: 'url_invalid', path: ['url'] },
  ],
  [
    'a URL with userinfo',
    withUrl('https://me:pw@api.example.com/{{order_number}}'),
    { code: 'url_userinfo', path: ['url'] },
  ],
  [
    'a URL with a fragment',
    withUrl('https://api.example.com/{{order_number}}#top'),
    { code: 'url_fragment', path: ['url'] },
  ],
  [
    'a URL with port 8443',
    withUrl('https://api.example.com:8443/{{order_number}}'),
    { code: 'url_port', path: ['url'] },
  ],
  [
    'a placeholder in the host',
    withUrl('https://{{order_number}}.example.com/'),
    {
      code: 'url_placeholder_position',
      path: ['url'],
    },
  ],
  [
    'a placeholder touching the host',
    withUrl('https://api.x{{order_number}}'),
    { code: 'url_placeholder_position', path: ['url'] },
  ],
  [
    'a placeholder right after the host',
    withUrl('https://api.example.com{{order_number}}/a'),
    {
      code: 'url_placeholder_position',
      path: ['url'],
    },
  ],
  [
    'a placeholder in the port',
    withUrl('https://api.example.com:{{order_number}}/a'),
    { code: 'url_placeholder_position', path: ['url'] },
  ],
  [
    'a placeholder in userinfo',
    withUrl('https://{{order_number}}@api.example.com/a'),
    { code: 'url_placeholder_position', path: ['url'] },
  ],
  [
    'a placeholder as the scheme',
    withUrl('{{order_number}}://api.example.com/a'),
    { code: 'url_placeholder_position', path: ['url'] },
  ],
  [
    'a placeholder in a query key',
    withUrl('https://api.example.com/a?{{order_number}}=1'),
    {
      code: 'url_placeholder_position',
      path: ['url'],
    },
  ],
  [
    'a placeholder as a bare query item',
    withUrl('https://api.example.com/a?x=1&{{order_number}}'),
    {
      code: 'url_placeholder_position',
      path: ['url'],
    },
  ],
  // templates
  [
    'an unclosed placeholder',
    withUrl('https://api.example.com/{{order_number'),
    { code: 'template_syntax', path: ['url'] },
  ],
  [
    'an empty placeholder',
    withUrl('https://api.example.com/{{}}/{{order_number}}'),
    { code: 'template_syntax', path: ['url'] },
  ],
  [
    'nested braces',
    withUrl('https://api.example.com/{{ {{order_number}} }}'),
    { code: 'template_syntax', path: ['url'] },
  ],
  ['a placeholder with inner spaces', withUrl('https://api.example.com/{{  order_number }}'), 'ok'],
  [
    'an unknown placeholder',
    withUrl('https://api.example.com/{{order_numbr}}'),
    { code: 'placeholder_unknown', path: ['url'] },
  ],
  [
    'an identity field with verification',
    withUrl('https://api.example.com/{{order_number}}?e={{identity.email}}', {
      requireVerifiedIdentity: true,
    }),
    'ok',
  ],
  [
    'an identity field without verification',
    withUrl('https://api.example.com/{{order_number}}?e={{identity.email}}'),
    {
      code: 'identity_requires_verification',
      path: ['requireVerifiedIdentity'],
    },
  ],
  [
    'an unknown identity field',
    withUrl('https://api.example.com/{{order_number}}?s={{identity.ssn}}', { requireVerifiedIdentity: true }),
    {
      code: 'identity_field_unknown',
      path: ['url'],
    },
  ],
  // headers
  [
    'a header with a placeholder value',
    withHeaders([{ name: 'X-Order', value: 'ord-{{order_number}}' }]),
    'ok',
  ],
  [
    'a header name with a space',
    withHeaders([{ name: 'X Order', value: '1' }]),
    { code: 'header_name_invalid', path: ['headers', 0, 'name'] },
  ],
  [
    'a header name with a colon',
    withHeaders([{ name: 'X-Order:', value: '1' }]),
    { code: 'header_name_invalid', path: ['headers', 0, 'name'] },
  ],
  [
    'an empty header name',
    withHeaders([{ name: '', value: '1' }]),
    { code: 'header_name_invalid', path: ['headers', 0, 'name'] },
  ],
  [
    'a placeholder in a header name',
    withHeaders([{ name: 'X-{{order_number}}', value: '1' }]),
    {
      code: 'header_name_invalid',
      path: ['headers', 0, 'name'],
    },
  ],
  ...[
    'Host',
    'content-length',
    'Transfer-Encoding',
    'Connection',
    'Keep-Alive',
    'Proxy-Authorization',
    'TE',
    'Trailer',
    'Upgrade',
  ].map(
    (name): Case => [
      `a ${name} header`,
      withHeaders([{ name, value: 'x' }]),
      { code: 'header_forbidden', path: ['headers', 0, 'name'] },
    ],
  ),
  [
    'duplicate headers in other case',
    withHeaders([
      { name: 'X-A', value: '1' },
      { name: 'x-a', value: '2' },
    ]),
    {
      code: 'header_duplicate',
      path: ['headers', 1, 'name'],
    },
  ],
  [
    'an Authorization header without auth',
    withHeaders([{ name: 'Authorization', value: 'Token abc' }]),
    'ok',
  ],
  [
    'an Authorization header with bearer auth',
    withHeaders([{ name: 'authorization', value: 'Bearer abc' }], { auth: { type: 'bearer' } }),
    {
      code: 'header_auth_conflict',
      path: ['headers', 0, 'name'],
    },
  ],
  [
    'the API-key header with api_key auth',
    withHeaders([{ name: 'x-api-key', value: 'k' }], { auth: { type: 'api_key', headerName: 'X-Api-Key' } }),
    {
      code: 'header_auth_conflict',
      path: ['headers', 0, 'name'],
    },
  ],
  [
    'a header value with a line break',
    withHeaders([{ name: 'X-A', value: 'a\r\nX-B: b' }]),
    {
      code: 'header_value_invalid',
      path: ['headers', 0, 'value'],
    },
  ],
  [
    'a header value with non-ASCII',
    withHeaders([{ name: 'X-A', value: 'café' }]),
    { code: 'header_value_invalid', path: ['headers', 0, 'value'] },
  ],
  ['a header value with a tab', withHeaders([{ name: 'X-A', value: 'a\tb' }]), 'ok'],
  [
    'a placeholder in Content-Type',
    post('{}', { headers: [{ name: 'Content-Type', value: '{{order_number}}' }] }),
    {
      code: 'header_value_invalid',
      path: ['headers', 0, 'value'],
    },
  ],
  [
    'a broken placeholder in a header value',
    withHeaders([{ name: 'X-A', value: '{{order_number' }]),
    {
      code: 'template_syntax',
      path: ['headers', 0, 'value'],
    },
  ],
  [
    'an unknown placeholder in a header value',
    withHeaders([{ name: 'X-A', value: '{{nope}}' }]),
    {
      code: 'placeholder_unknown',
      path: ['headers', 0, 'value'],
    },
  ],
  // auth
  ['an API key header name', validAction({ auth: { type: 'api_key', headerName: 'X-Api-Key' } }), 'ok'],
  [
    'an API key header name with a space',
    validAction({ auth: { type: 'api_key', headerName: 'X Api Key' } }),
    {
      code: 'auth_header_name_invalid',
      path: ['auth', 'headerName'],
    },
  ],
  [
    'an empty API key header name',
    validAction({ auth: { type: 'api_key', headerName: '' } }),
    {
      code: 'auth_header_name_invalid',
      path: ['auth', 'headerName'],
    },
  ],
  [
    'Host as the API key header',
    validAction({ auth: { type: 'api_key', headerName: 'Host' } }),
    {
      code: 'auth_header_name_invalid',
      path: ['auth', 'headerName'],
    },
  ],
  // body
  ['a JSON body on POST', post('{"order":"{{order_number}}","n":{"deep":["x {{order_number}} y"]}}'), 'ok'],
  ['a JSON body on PUT', post('{"a":1}', { method: 'PUT' }), 'ok'],
  ['a JSON body on PATCH', post('[1,"{{order_number}}"]', { method: 'PATCH' }), 'ok'],
  ['a blank body on GET', validAction({ body: '  ' }), 'ok'],
  ['a body on GET', validAction({ body: '{}' }), { code: 'body_not_allowed', path: ['body'] }],
  [
    'a body on DELETE',
    validAction({ method: 'DELETE', body: '{}' }),
    { code: 'body_not_allowed', path: ['body'] },
  ],
  ['a body that is not JSON', post('{"a":'), { code: 'body_invalid', path: ['body'] }],
  [
    'a bare placeholder in JSON',
    post('{"qty": {{order_number}}}'),
    { code: 'body_placeholder_position', path: ['body'] },
  ],
  ...(['number', 'integer', 'boolean'] as const).map(
    (type): Case => [
      `a bare ${type} placeholder in JSON`,
      post('{"qty": {{q}}, "list": [ {{q}} ,1], "n": {"m":{{q}}}}', {
        url: 'https://api.example.com/orders',
        parameters: [textParameter('q', { type })],
      }),
      'ok',
    ],
  ),
  [
    'a bare text placeholder in JSON',
    post('{"qty": {{q}}}', { url: 'https://api.example.com/orders', parameters: [textParameter('q')] }),
    { code: 'body_placeholder_position', path: ['body'] },
  ],
  ...(['date', 'enum', 'email'] as const).map(
    (type): Case => [
      `a bare ${type} placeholder in JSON`,
      post('{"qty": {{q}}}', {
        url: 'https://api.example.com/orders',
        parameters: [textParameter('q', { type, ...(type === 'enum' ? { choices: ['a'] } : {}) })],
      }),
      { code: 'body_placeholder_position', path: ['body'] },
    ],
  ),
  [
    'a bare identity placeholder in JSON',
    post('{"who": {{identity.user_id}}}', { requireVerifiedIdentity: true }),
    { code: 'body_placeholder_position', path: ['body'] },
  ],
  ...[
    '{"qty": -{{q}}}',
    '{"qty": {{q}}0}',
    '{"qty": {{q}}{{q}}}',
    '{"qty": [1 {{q}}]}',
    '{ {{q}}: 1}',
    '{"a":1, {{q}} }',
    '{"qty": "x" {{q}}}',
  ].map(
    (body): Case => [
      `a bare number placeholder that is not a whole value: ${body}`,
      post(body, {
        url: 'https://api.example.com/orders',
        parameters: [textParameter('q', { type: 'number' })],
      }),
      { code: body.includes('{"a":1,') ? 'body_invalid' : 'body_placeholder_position', path: ['body'] },
    ],
  ),
  [
    'a number placeholder inside a JSON string',
    post('{"qty": "{{q}} pcs"}', {
      url: 'https://api.example.com/orders',
      parameters: [textParameter('q', { type: 'integer' })],
    }),
    'ok',
  ],
  // typed parameters
  ...(['number', 'integer', 'boolean', 'date'] as const).map(
    (type): Case => [
      `a ${type} parameter`,
      withUrl('https://api.example.com/orders?q={{q}}', { parameters: [textParameter('q', { type })] }),
      'ok',
    ],
  ),
  [
    'an enum parameter with choices',
    withUrl('https://api.example.com/orders?s={{s}}', {
      parameters: [textParameter('s', { type: 'enum', choices: ['open', 'closed'] })],
    }),
    'ok',
  ],
  [
    'an enum parameter without choices',
    withUrl('https://api.example.com/orders?s={{s}}', { parameters: [textParameter('s', { type: 'enum' })] }),
    { code: 'parameter_choices', path: ['parameters', 0, 'choices'] },
  ],
  [
    'an enum parameter with an empty list of choices',
    withUrl('https://api.example.com/orders?s={{s}}', {
      parameters: [textParameter('s', { type: 'enum', choices: [] })],
    }),
    { code: 'parameter_choices', path: ['parameters', 0, 'choices'] },
  ],
  [
    'an enum parameter with a blank choice',
    withUrl('https://api.example.com/orders?s={{s}}', {
      parameters: [textParameter('s', { type: 'enum', choices: ['open', ' '] })],
    }),
    { code: 'parameter_choices', path: ['parameters', 0, 'choices', 1] },
  ],
  [
    'an enum parameter with a repeated choice',
    withUrl('https://api.example.com/orders?s={{s}}', {
      parameters: [textParameter('s', { type: 'enum', choices: ['open', 'closed', 'open'] })],
    }),
    { code: 'parameter_choices', path: ['parameters', 0, 'choices', 2] },
  ],
  [
    'a text parameter with choices',
    validAction({ parameters: [textParameter('order_number', { choices: ['a'] })] }),
    { code: 'parameter_choices', path: ['parameters', 0, 'choices'] },
  ],
  [
    'a placeholder in a JSON key',
    post('{"{{order_number}}": 1}'),
    { code: 'body_placeholder_position', path: ['body'] },
  ],
  [
    'a placeholder in a nested JSON key',
    post('{"a":{"k{{order_number}}" : "v"}}'),
    { code: 'body_placeholder_position', path: ['body'] },
  ],
  [
    'a placeholder inside a JSON escape',
    post('{"a":"\\u00{{order_number}}"}'),
    { code: 'body_invalid', path: ['body'] },
  ],
  [
    'a placeholder after a backslash',
    post('{"a":"\\{{order_number}}"}'),
    { code: 'body_invalid', path: ['body'] },
  ],
  ['a placeholder after an escaped backslash', post('{"a":"\\\\{{order_number}}"}'), 'ok'],
  ['a stray }} inside a JSON string', post('{"a":"x}}"}'), { code: 'template_syntax', path: ['body'] }],
  [
    'an unknown placeholder in the body',
    post('{"a":"{{nope}}"}'),
    { code: 'placeholder_unknown', path: ['body'] },
  ],
  ['a form body', post('order={{order_number}}&source=chat', { headers: form }), 'ok'],
  [
    'a form body with a charset',
    post('order={{order_number}}', {
      headers: [{ name: 'content-type', value: 'Application/X-WWW-Form-Urlencoded; charset=utf-8' }],
    }),
    'ok',
  ],
  [
    'a placeholder in a form key',
    post('{{order_number}}=1', { headers: form }),
    { code: 'body_placeholder_position', path: ['body'] },
  ],
  ['a form body with a space', post('a=1 2', { headers: form }), { code: 'body_invalid', path: ['body'] }],
  // confirmation and the visitor label (both optional: actions stored before them stay valid)
  ['no confirmation or label (an older action)', validAction(), 'ok'],
  ['confirmation always', validAction({ confirmation: 'always' }), 'ok'],
  ['confirmation never', validAction({ method: 'POST', confirmation: 'never' }), 'ok'],
  [
    'an unknown confirmation mode',
    { ...validAction(), confirmation: 'sometimes' },
    { code: 'invalid_type', path: ['confirmation'] },
  ],
  ['a visitor label', validAction({ visitorLabel: 'Looking up your order' }), 'ok'],
  ['a visitor label of 80 characters', validAction({ visitorLabel: tooLong(80) }), 'ok'],
  [
    'a visitor label over 80 characters',
    validAction({ visitorLabel: tooLong(81) }),
    { code: 'too_long', path: ['visitorLabel'] },
  ],
  [
    'a blank visitor label',
    validAction({ visitorLabel: '  ' }),
    { code: 'visitor_label_invalid', path: ['visitorLabel'] },
  ],
  [
    'a visitor label on two lines',
    validAction({ visitorLabel: 'Looking up\nyour order' }),
    { code: 'visitor_label_invalid', path: ['visitorLabel'] },
  ],
];

describe('validateAction', () => {
  it.each(cases)('%s', (_name, input, expected) => {
    const result = validateAction(input);
    if (expected === 'ok') {
      expect(result).toEqual({ ok: true, action: input });
      return;
    }
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toContainEqual(expect.objectContaining(expected));
    for (const error of result.errors) expect(error.message.length).toBeGreaterThan(10);
  });

  it('reports every problem at once', () => {
    const result = validateAction({
      ...validAction(),
      identifier: 'Bad Name',
      description: '',
      method: 'GET',
      url: 'http://u:p@api.x{{s}}:8080/a#f',
      headers: [
        { name: 'Host', value: 'x' },
        { name: 'bad name', value: 'a\nb' },
      ],
      body: '{}',
      parameters: [textParameter('order_number', { label: '' })],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(new Set(result.errors.map((e) => e.code))).toEqual(
      new Set([
        'identifier_format',
        'description_blank',
        'label_blank',
        'url_not_https',
        'url_userinfo',
        'url_port',
        'url_fragment',
        'url_placeholder_position',
        'placeholder_unknown',
        'header_forbidden',
        'header_name_invalid',
        'header_value_invalid',
        'body_not_allowed',
      ]),
    );
  });

  it('writes messages for a person', () => {
    const result = validateAction(validAction({ identifier: 'Lookup' }));
    expect(result).toMatchObject({
      ok: false,
      errors: [
        {
          code: 'identifier_format',
          message:
            'Use lowercase letters, digits and underscores, starting with a letter (e.g. lookup_order).',
        },
      ],
    });
  });

  it('never throws, whatever the input', { timeout: 30_000 }, () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        const result = validateAction(input);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (url, header, body) => {
        const result = validateAction(
          validAction({ method: 'POST', url, headers: [{ name: 'X-A', value: header }], body }),
        );
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 1000 },
    );
  });
});

describe('findPlaceholderUsages', () => {
  const action = validAction({
    method: 'POST',
    url: 'https://api.example.com/orders/{{order_number}}',
    headers: [
      { name: 'X-A', value: 'static' },
      { name: 'X-Email', value: '{{identity.email}}' },
    ],
    body: '{"n":"{{order_number}}","x":"{{missing}}"}',
    requireVerifiedIdentity: true,
  });

  it('lists where each parameter and identity field is used', () => {
    expect(findPlaceholderUsages(action)).toEqual([
      {
        name: 'order_number',
        ref: { kind: 'parameter', name: 'order_number' },
        path: ['url'],
        start: 31,
        end: 47,
      },
      {
        name: 'identity.email',
        ref: { kind: 'identity', field: 'email' },
        path: ['headers', 1, 'value'],
        start: 0,
        end: 18,
      },
      {
        name: 'order_number',
        ref: { kind: 'parameter', name: 'order_number' },
        path: ['body'],
        start: 6,
        end: 22,
      },
      { name: 'missing', ref: { kind: 'unknown' }, path: ['body'], start: 29, end: 40 },
    ]);
  });

  it('tells whether the request sends identity fields', () => {
    expect(usesIdentity(action)).toBe(true);
    expect(usesIdentity(validAction())).toBe(false);
  });
});
