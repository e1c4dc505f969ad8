import { describe, expect, it } from 'vitest';
import {
  compileResponseShaping,
  parseResponsePath,
  type ResponseShaping,
  shapeResponseBody,
} from './response';
import { validAction } from './test-fixtures';
import { compileAction, validateAction } from './validate';

function shaper(response: ResponseShaping) {
  const compiled = compileResponseShaping(response);
  expect(compiled.issues).toEqual([]);
  return compiled.shaper;
}

const order = {
  id: 'ORD-1',
  status: 'shipped',
  customer: { name: 'Ann', email: 'ann@example.com', address: { city: 'Oulu', street: 'Katu 1' } },
  items: [
    { sku: 'A', qty: 2, meta: { weight: 1, internal: 'x' } },
    { sku: 'B', qty: 1, meta: { weight: 3, internal: 'y' } },
    { note: 'no sku here' },
    'a string element',
  ],
  __proto__x: 1,
};

describe('parseResponsePath', () => {
  it.each<[string, unknown]>([
    ['status', [{ kind: 'key', key: 'status' }]],
    [
      'customer.address.city',
      [
        { kind: 'key', key: 'customer' },
        { kind: 'key', key: 'address' },
        { kind: 'key', key: 'city' },
      ],
    ],
    ['items[*].sku', [{ kind: 'key', key: 'items' }, { kind: 'all' }, { kind: 'key', key: 'sku' }]],
    ['[*].id', [{ kind: 'all' }, { kind: 'key', key: 'id' }]],
    ['rows[*][*]', [{ kind: 'key', key: 'rows' }, { kind: 'all' }, { kind: 'all' }]],
    ['first name', [{ kind: 'key', key: 'first name' }]],
  ])('reads %j', (text, steps) => {
    expect(parseResponsePath(text)).toEqual({ ok: true, steps });
  });

  it.each(['', ' ', '.a', 'a.', 'a..b', 'a[0]', 'a[', 'a]', 'a.[*]', 'a[*]b', '[*]x'])(
    'refuses %j with a message',
    (text) => {
      const parsed = parseResponsePath(text);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.message.length).toBeGreaterThan(10);
    },
  );
});

describe('shapeResponseBody', () => {
  const body = JSON.stringify(order);

  it('keeps only the picked paths, in their structure', () => {
    const out = shapeResponseBody(
      shaper({ pick: ['status', 'customer.address.city', 'items[*].sku', 'missing.key'] }),
      body,
    );
    expect(out).toMatchObject({ shaped: true, cut: false });
    expect(JSON.parse(out.body)).toEqual({
      status: 'shipped',
      customer: { address: { city: 'Oulu' } },
      items: [{ sku: 'A' }, { sku: 'B' }, {}],
    });
  });

  it('merges picks that share a prefix', () => {
    const out = shapeResponseBody(shaper({ pick: ['items[*].sku', 'items[*].meta.weight', 'id'] }), body);
    expect(JSON.parse(out.body)).toEqual({
      id: 'ORD-1',
      items: [{ sku: 'A', meta: { weight: 1 } }, { sku: 'B', meta: { weight: 3 } }, {}],
    });
  });

  it('drops the omitted paths, after picking', () => {
    const out = shapeResponseBody(
      shaper({ pick: ['customer', 'items'], omit: ['customer.email', 'items[*].meta.internal', 'nope'] }),
      body,
    );
    expect(JSON.parse(out.body)).toEqual({
      customer: { name: 'Ann', address: { city: 'Oulu', street: 'Katu 1' } },
      items: [
        { sku: 'A', qty: 2, meta: { weight: 1 } },
        { sku: 'B', qty: 1, meta: { weight: 3 } },
        { note: 'no sku here' },
        'a string element',
      ],
    });
  });

  it('works on a body that is an array', () => {
    const out = shapeResponseBody(shaper({ pick: ['[*].id'] }), '[{"id":1,"x":2},{"id":3}]');
    expect(JSON.parse(out.body)).toEqual([{ id: 1 }, { id: 3 }]);
    expect(JSON.parse(shapeResponseBody(shaper({ omit: ['[*]'] }), '[1,2]').body)).toEqual([]);
  });

  it('gives an empty object when nothing picked is there', () => {
    expect(shapeResponseBody(shaper({ pick: ['nothing'] }), body).body).toBe('{}');
  });

  it('keeps a __proto__ key of the response as an ordinary key', () => {
    const out = shapeResponseBody(shaper({ pick: ['__proto__.a'] }), '{"__proto__":{"a":1,"b":2}}');
    expect(out.body).toBe('{"__proto__":{"a":1}}');
    expect(({} as Record<string, unknown>).a).toBeUndefined();
  });

  it('passes a body that is not JSON through, cut to maxChars', () => {
    const html = `<html>${'x'.repeat(300)}</html>`;
    expect(shapeResponseBody(shaper({ pick: ['a'], maxChars: 100 }), html)).toEqual({
      body: html.slice(0, 100),
      shaped: false,
      cut: true,
    });
    const cutJson = '{"a":1,"b":';
    expect(shapeResponseBody(shaper({ pick: ['a'] }), cutJson)).toEqual({
      body: cutJson,
      shaped: false,
      cut: false,
    });
  });

  it('cuts the shaped text to maxChars without splitting a character', () => {
    const text = JSON.stringify({ a: `${'x'.repeat(98)}😀tail` });
    // `{"a":"` and 98 x are 104 units; the emoji is the next two.
    const out = shapeResponseBody(shaper({ maxChars: 105 }), text);
    expect(out.cut).toBe(true);
    expect(out.body).toBe(text.slice(0, 104));
    expect(shapeResponseBody(shaper({ maxChars: 106 }), text).body).toBe(text.slice(0, 106));
    expect(out.body.endsWith('\uD83D')).toBe(false);
  });

  it('is the identity without shaping', () => {
    expect(shapeResponseBody(null, body)).toEqual({ body, shaped: false, cut: false });
  });
});

describe('validateAction: response', () => {
  it('accepts a valid shaping and keeps it', () => {
    const action = validAction({ response: { pick: ['items[*].sku'], omit: ['a.b'], maxChars: 2000 } });
    expect(validateAction(action)).toEqual({ ok: true, action });
    const compiled = compileAction(action);
    expect(compiled.ok && compiled.compiled.response).toBeTruthy();
  });

  it('reports each invalid path and an out-of-range maxChars at its place', () => {
    const result = validateAction(
      validAction({ response: { pick: ['ok', 'a..b'], omit: ['x[0]'], maxChars: 5.5 } }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map(({ code, path }) => ({ code, path }))).toEqual([
      { code: 'response_path_invalid', path: ['response', 'pick', 1] },
      { code: 'response_path_invalid', path: ['response', 'omit', 0] },
      { code: 'response_max_chars', path: ['response', 'maxChars'] },
    ]);
    for (const maxChars of [0, 99, 100_001, Number.NaN]) {
      expect(validateAction(validAction({ response: { maxChars } })).ok, String(maxChars)).toBe(false);
    }
  });

  it('refuses too many paths', () => {
    const pick = Array.from({ length: 33 }, (_, i) => `k${i}`);
    expect(validateAction(validAction({ response: { pick } }))).toMatchObject({
      ok: false,
      errors: [{ code: 'too_many', path: ['response', 'pick'] }],
    });
  });
});
