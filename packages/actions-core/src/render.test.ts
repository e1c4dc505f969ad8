import { describe, expect, it } from 'vitest';
import type { ActionDefinition } from './action';
import { LIMITS } from './action';
import type { Issue } from './errors';
import { type RenderIdentity, type RenderResult, renderRequest } from './render';
import { textParameter, validAction } from './test-fixtures';

function rendered(result: RenderResult) {
  if (!result.ok) throw new Error(`expected a request, got ${JSON.stringify(result.errors)}`);
  return result.request;
}

function errors(result: RenderResult): Pick<Issue, 'code' | 'path'>[] {
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result.request)}`);
  return result.errors.map(({ code, path }) => ({ code, path }));
}

const jwt = (claims: Partial<Record<'user_id' | 'email' | 'name' | 'phone', string>>): RenderIdentity => ({
  method: 'jwt',
  claims,
});

describe('renderRequest: path', () => {
  const action = validAction();

  it('fills a path segment', () => {
    expect(rendered(renderRequest(action, { order_number: 'ORD-123' }))).toEqual({
      method: 'GET',
      url: 'https://api.example.com/orders/ORD-123',
      headers: {},
      body: null,
    });
  });

  it('encodes a value as one segment: / ? # % and spaces cannot escape it', () => {
    const url = rendered(renderRequest(action, { order_number: 'a/b?c=d#e%20 f' })).url;
    expect(url).toBe('https://api.example.com/orders/a%2Fb%3Fc%3Dd%23e%2520%20f');
    expect(new URL(url).pathname.split('/')).toHaveLength(3);
  });

  it.each(['.', '..', '%2e', '%2E%2e', '.%2E', '%2e.', '%252e%252e'])(
    'refuses the path value %j',
    (value) => {
      expect(errors(renderRequest(action, { order_number: value }))).toEqual([
        { code: 'value_path_segment', path: ['values', 'order_number'] },
      ]);
    },
  );

  it('refuses a value that makes a dot-segment with the literal text around it', () => {
    const dotted = validAction({ url: 'https://api.example.com/a/.{{order_number}}/b' });
    expect(errors(renderRequest(dotted, { order_number: '.' }))).toEqual([
      { code: 'value_path_segment', path: ['values', 'order_number'] },
    ]);
    expect(rendered(renderRequest(dotted, { order_number: 'x' })).url).toBe('https://api.example.com/a/.x/b');
  });

  it('accepts dots inside a longer segment', () => {
    expect(rendered(renderRequest(action, { order_number: '...' })).url).toBe(
      'https://api.example.com/orders/...',
    );
  });

  it('turns a finite number into decimal text', () => {
    expect(rendered(renderRequest(action, { order_number: 12345 })).url).toBe(
      'https://api.example.com/orders/12345',
    );
    expect(rendered(renderRequest(action, { order_number: 1e21 })).url).toBe(
      'https://api.example.com/orders/1000000000000000000000',
    );
    expect(rendered(renderRequest(action, { order_number: -0.5 })).url).toBe(
      'https://api.example.com/orders/-0.5',
    );
  });
});

describe('renderRequest: query', () => {
  const action = validAction({ url: 'https://api.example.com/search?q={{order_number}}&page=1' });

  it('encodes a query value so it cannot add keys', () => {
    const url = new URL(rendered(renderRequest(action, { order_number: 'a&page=2&admin=1#x+y' })).url);
    expect([...url.searchParams.keys()]).toEqual(['q', 'page']);
    expect(url.searchParams.get('q')).toBe('a&page=2&admin=1#x+y');
    expect(url.searchParams.get('page')).toBe('1');
    expect(url.hash).toBe('');
  });

  it('treats a blank value as missing', () => {
    expect(errors(renderRequest(action, { order_number: ' ' }))).toEqual([
      { code: 'value_required', path: ['values', 'order_number'] },
    ]);
  });

  it('leaves out an optional value the request does not use', () => {
    const optional = validAction({
      url: 'https://api.example.com/search?q={{order_number}}',
      parameters: [textParameter('order_number'), textParameter('note', { required: false })],
    });
    expect(rendered(renderRequest(optional, { order_number: 'a', note: 'secret' })).url).toBe(
      'https://api.example.com/search?q=a',
    );
  });
});

describe('renderRequest: headers', () => {
  const action = validAction({
    url: 'https://api.example.com/orders',
    headers: [
      { name: 'X-Order', value: 'ord {{order_number}}' },
      { name: 'Accept', value: 'application/json' },
    ],
  });

  it('fills a header value and keeps the names as written', () => {
    expect(rendered(renderRequest(action, { order_number: 'A1\tB' })).headers).toEqual({
      'X-Order': 'ord A1\tB',
      Accept: 'application/json',
    });
  });

  it.each([
    ['CR LF', 'a\r\nX-Evil: 1'],
    ['LF', 'a\nb'],
    ['non-ASCII', 'café'],
    ['DEL', 'a\x7fb'],
  ])('refuses %s in a header value, never strips it', (_name, value) => {
    expect(errors(renderRequest(action, { order_number: value }))).toEqual([
      {
        code: value.includes('\x7f') ? 'value_characters' : 'value_header',
        path: ['values', 'order_number'],
      },
    ]);
  });

  it('keeps a header named __proto__ as a header', () => {
    const odd = validAction({
      url: 'https://api.example.com/x',
      headers: [{ name: '__proto__', value: 'v' }],
    });
    const { headers } = rendered(renderRequest(odd, { order_number: '1' }));
    expect(Object.entries(headers)).toEqual([['__proto__', 'v']]);
  });

  it('refuses NUL before it reaches a header', () => {
    expect(errors(renderRequest(action, { order_number: 'a\0b' }))).toEqual([
      { code: 'value_characters', path: ['values', 'order_number'] },
    ]);
  });
});

describe('renderRequest: JSON body', () => {
  const action = validAction({
    method: 'POST',
    url: 'https://api.example.com/tickets',
    body: '{"subject":"Order {{order_number}}","meta":{"tags":["chat","{{order_number}}"]},"n":1}',
  });

  it('escapes values inside their strings and adds the JSON content type', () => {
    const value = 'x","admin":true,"y":"\\\n}';
    const request = rendered(renderRequest(action, { order_number: value }));
    expect(JSON.parse(request.body ?? '')).toEqual({
      subject: `Order ${value}`,
      meta: { tags: ['chat', value] },
      n: 1,
    });
    expect(request.headers).toEqual({ 'content-type': 'application/json' });
  });

  it('keeps a Content-Type the action sets', () => {
    const withType = { ...action, headers: [{ name: 'Content-Type', value: 'application/vnd.api+json' }] };
    expect(rendered(renderRequest(withType, { order_number: '1' })).headers).toEqual({
      'Content-Type': 'application/vnd.api+json',
    });
  });

  it('caps the rendered body', () => {
    const many = validAction({
      method: 'POST',
      url: 'https://api.example.com/tickets',
      body: `{"a":"${'{{order_number}}'.repeat(12)}"}`,
    });
    // 2048 × "€" is 6 KiB of UTF-8; twelve of them pass the 64 KiB cap
    expect(errors(renderRequest(many, { order_number: '€'.repeat(LIMITS.value) }))).toEqual([
      { code: 'body_too_large', path: ['body'] },
    ]);
    expect(rendered(renderRequest(many, { order_number: '€'.repeat(100) })).body).toHaveLength(1208);
  });
});

describe('renderRequest: form body', () => {
  const action = validAction({
    method: 'POST',
    url: 'https://api.example.com/customers',
    headers: [{ name: 'Content-Type', value: 'application/x-www-form-urlencoded' }],
    body: 'name={{order_number}}&source=chat',
  });

  it('form-encodes values so they cannot add fields', () => {
    const request = rendered(renderRequest(action, { order_number: 'Jenny Rosen&admin=1=2+ä' }));
    expect(request.body).toBe('name=Jenny+Rosen%26admin%3D1%3D2%2B%C3%A4&source=chat');
    const fields = new URLSearchParams(request.body ?? '');
    expect([...fields.keys()]).toEqual(['name', 'source']);
    expect(fields.get('name')).toBe('Jenny Rosen&admin=1=2+ä');
    expect(request.headers).toEqual({ 'Content-Type': 'application/x-www-form-urlencoded' });
  });
});

describe('renderRequest: values', () => {
  const action = validAction({
    method: 'POST',
    url: 'https://api.example.com/contacts',
    body: '{"name":"{{full_name}}","email":"{{email}}","phone":"{{phone}}"}',
    parameters: [
      textParameter('full_name'),
      textParameter('email', { type: 'email' }),
      textParameter('phone', { type: 'phone' }),
      textParameter('note', { required: false }),
    ],
  });
  const good = { full_name: 'Jenny', email: ' jenny@example.com ', phone: '+358 40 123 4567' };

  it('trims emails and normalises phones to E.164', () => {
    expect(JSON.parse(rendered(renderRequest(action, good)).body ?? '')).toEqual({
      name: 'Jenny',
      email: 'jenny@example.com',
      phone: '+358401234567',
    });
  });

  it('ignores values the action does not define', () => {
    const request = rendered(renderRequest(action, { ...good, evil: 'INJECTED', __proto__: 'x' } as never));
    expect(JSON.stringify(request)).not.toContain('INJECTED');
  });

  it('keeps line breaks in text, escaped in JSON', () => {
    expect(
      JSON.parse(rendered(renderRequest(action, { ...good, full_name: 'a\nb\tc' })).body ?? '').name,
    ).toBe('a\nb\tc');
  });

  it.each<[string, unknown, Issue['code']]>([
    ['null', null, 'value_type'],
    ['an array', ['a'], 'value_type'],
    ['an object', { a: 1 }, 'value_type'],
    ['a boolean', true, 'value_type'],
    ['NaN', Number.NaN, 'value_type'],
    ['Infinity', Number.POSITIVE_INFINITY, 'value_type'],
    ['a lone high surrogate', 'a\uD800b', 'value_characters'],
    ['a lone low surrogate', '\uDC00', 'value_characters'],
    ['NUL', 'a\u0000', 'value_characters'],
    ['a bell', 'a\u0007', 'value_characters'],
    ['a C1 control', 'a\u0085', 'value_characters'],
    ['a value over the cap', 'a'.repeat(LIMITS.value + 1), 'value_too_long'],
  ])('refuses %s', (_name, value, code) => {
    expect(errors(renderRequest(action, { ...good, full_name: value }))).toEqual([
      { code, path: ['values', 'full_name'] },
    ]);
  });

  it('accepts a value at the cap', () => {
    expect(renderRequest(action, { ...good, full_name: 'a'.repeat(LIMITS.value) }).ok).toBe(true);
  });

  it('checks emails and phones by type', () => {
    expect(errors(renderRequest(action, { ...good, email: 'not-an-email', phone: '040 123' }))).toEqual([
      { code: 'value_email', path: ['values', 'email'] },
      { code: 'value_phone', path: ['values', 'phone'] },
    ]);
  });

  it('reports every missing required value, and not the optional one', () => {
    expect(errors(renderRequest(action, {}))).toEqual([
      { code: 'value_required', path: ['values', 'full_name'] },
      { code: 'value_required', path: ['values', 'email'] },
      { code: 'value_required', path: ['values', 'phone'] },
    ]);
  });

  it('reports problems of several values and placements together', () => {
    const mixed = validAction({
      url: 'https://api.example.com/orders/{{order_number}}',
      headers: [{ name: 'X-Email', value: '{{email}}' }],
      parameters: [textParameter('order_number'), textParameter('email', { type: 'email' })],
    });
    expect(errors(renderRequest(mixed, { order_number: '..', email: 'nope' }))).toEqual([
      { code: 'value_email', path: ['values', 'email'] },
      { code: 'value_path_segment', path: ['values', 'order_number'] },
    ]);
  });

  it('returns the definition issues of an invalid action', () => {
    const invalid: ActionDefinition = validAction({ url: 'http://api.example.com/{{order_number}}' });
    expect(errors(renderRequest(invalid, { order_number: '1' }))).toEqual([
      { code: 'url_not_https', path: ['url'] },
    ]);
  });
});

describe('renderRequest: identity', () => {
  const action = validAction({
    method: 'POST',
    url: 'https://api.example.com/orders/{{order_number}}',
    headers: [{ name: 'X-User', value: '{{identity.user_id}}' }],
    body: '{"email":"{{identity.email}}"}',
    requireVerifiedIdentity: true,
  });

  it('fills identity fields from JWT claims', () => {
    const request = rendered(
      renderRequest(
        action,
        { order_number: '1' },
        { identity: jwt({ user_id: 'u-1', email: 'v@example.com' }) },
      ),
    );
    expect(request.headers['X-User']).toBe('u-1');
    expect(JSON.parse(request.body ?? '')).toEqual({ email: 'v@example.com' });
  });

  it('fails closed with an HMAC-verified visitor', () => {
    expect(
      errors(renderRequest(action, { order_number: '1' }, { identity: { method: 'hmac', userId: 'u-1' } })),
    ).toEqual([{ code: 'identity_unverified', path: ['identity'] }]);
  });

  it('fails closed with no identity', () => {
    expect(errors(renderRequest(action, { order_number: '1' }))).toEqual([
      { code: 'identity_unverified', path: ['identity'] },
    ]);
    expect(errors(renderRequest(action, { order_number: '1' }, { identity: null }))).toEqual([
      { code: 'identity_unverified', path: ['identity'] },
    ]);
  });

  it('reports a claim the token does not carry', () => {
    expect(
      errors(renderRequest(action, { order_number: '1' }, { identity: jwt({ user_id: 'u-1' }) })),
    ).toEqual([{ code: 'identity_field_missing', path: ['identity', 'email'] }]);
  });

  it('checks claims like values', () => {
    expect(
      errors(
        renderRequest(action, { order_number: '1' }, { identity: jwt({ user_id: 'u\r\n1', email: 'x' }) }),
      ),
    ).toEqual([
      { code: 'value_email', path: ['identity', 'email'] },
      { code: 'value_header', path: ['identity', 'user_id'] },
    ]);
  });

  it('does not need an identity when the action uses none', () => {
    expect(
      renderRequest(validAction(), { order_number: '1' }, { identity: { method: 'hmac', userId: 'x' } }).ok,
    ).toBe(true);
  });
});

describe('renderRequest: typed parameters', () => {
  const typed = validAction({
    method: 'POST',
    url: 'https://api.example.com/orders/{{qty}}?paid={{paid}}&on={{day}}&status={{status}}&price={{price}}',
    headers: [{ name: 'X-Qty', value: 'n={{qty}}; paid={{paid}}' }],
    body: '{"qty": {{qty}}, "price": {{price}}, "paid":{{paid}}, "list":[{{qty}}], "status":"{{status}}", "note":"{{qty}} pcs", "day":"{{day}}"}',
    parameters: [
      textParameter('qty', { type: 'integer' }),
      textParameter('price', { type: 'number' }),
      textParameter('paid', { type: 'boolean' }),
      textParameter('day', { type: 'date' }),
      textParameter('status', { type: 'enum', choices: ['open', 'on hold'] }),
    ],
  });

  it('puts canonical text in the URL and headers and JSON literals in the body', () => {
    const request = rendered(
      renderRequest(typed, { qty: '3', price: 1e-7, paid: 'false', day: '2026-02-28', status: 'on hold' }),
    );
    expect(request.url).toBe(
      'https://api.example.com/orders/3?paid=false&on=2026-02-28&status=on%20hold&price=0.0000001',
    );
    expect(request.headers['X-Qty']).toBe('n=3; paid=false');
    expect(JSON.parse(request.body ?? '')).toEqual({
      qty: 3,
      price: 1e-7,
      paid: false,
      list: [3],
      status: 'on hold',
      note: '3 pcs',
      day: '2026-02-28',
    });
  });

  it('reports each wrong value at its field with its own code', () => {
    expect(
      errors(
        renderRequest(typed, {
          qty: '3.5',
          price: 'cheap',
          paid: 'yes',
          day: '2026-02-30',
          status: 'closed',
        }),
      ),
    ).toEqual([
      { code: 'value_integer', path: ['values', 'qty'] },
      { code: 'value_number', path: ['values', 'price'] },
      { code: 'value_boolean', path: ['values', 'paid'] },
      { code: 'value_date', path: ['values', 'day'] },
      { code: 'value_enum', path: ['values', 'status'] },
    ]);
  });

  it('renders existing text-only actions exactly as before', () => {
    const old = validAction({
      method: 'POST',
      body: '{"n":"{{order_number}}","k":1}',
    });
    expect(rendered(renderRequest(old, { order_number: 42 })).body).toBe('{"n":"42","k":1}');
  });
});
