import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { IssueCode } from './errors';
import { renderRequest } from './render';
import { textParameter, validAction } from './test-fixtures';
import { numberToDecimal } from './values';

/**
 * The structure invariant of DESIGN.md, for arbitrary values: the rendered request has the
 * template's host, port, path segment count, query keys, header names and body shape, with the value
 * exactly where its placeholder was — or the value is refused with a clear code.
 */

const RUNS = 2000;

const ADVERSARIAL = [
  '/',
  '.',
  '..',
  '%2e',
  '%2E',
  '%2f',
  '%',
  '%00',
  '\r\n',
  '\n',
  '\r',
  '\t',
  '"}',
  '"',
  "'",
  '\\',
  '\\u0000',
  '&x=',
  '&',
  '=',
  '#',
  '?',
  '+',
  ' ',
  '@',
  ':',
  ';',
  '\u0000',
  '\u007f',
  '\u0085',
  '\u2028',
  '\uFEFF',
  '\uD800',
  '\uDFFF',
  '😀',
  '👩‍👩‍👧',
  'é',
  'e\u0301',
  '{{a}}',
  '}}',
  '{',
  ']',
  'X-Evil: 1',
  'https://evil.example',
];

const char = (min: number, max: number) => fc.integer({ min, max }).map((c) => String.fromCodePoint(c));

/** One piece of a value: any code point, printable ASCII, Latin-1 controls, lone surrogates, or a trap. */
const unit = fc.oneof(
  { weight: 8, arbitrary: char(0, 0x10ffff) },
  { weight: 6, arbitrary: char(0x20, 0x7e) },
  { weight: 1, arbitrary: char(0, 0xff) },
  { weight: 4, arbitrary: fc.constantFrom(...ADVERSARIAL) },
  { weight: 1, arbitrary: char(0xd800, 0xdfff) },
);

/**
 * Strings built from those pieces (an array joined: much cheaper to generate than fc.string with a
 * custom unit, which keeps thousands of runs within a few seconds).
 */
const adversarialString = fc.oneof(
  { weight: 9, arbitrary: fc.array(unit, { maxLength: 16 }).map((pieces) => pieces.join('')) },
  { weight: 1, arbitrary: fc.constantFrom('', '.', '..', '%2e%2e', '.%2E', '%2E.', '%252e%252e') },
);

const value = fc.oneof(
  { weight: 10, arbitrary: adversarialString },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.integer() },
);

/** Refusals are fine, as long as they carry one of these codes at the value's path. */
const VALUE_CODES: IssueCode[] = [
  'value_required',
  'value_characters',
  'value_path_segment',
  'value_header',
  'value_too_long',
  'value_type',
  'body_too_large',
];

const asText = (v: string | number) => (typeof v === 'number' ? numberToDecimal(v) : v);

/** [rendered, refused] per property. */
const tally: Record<string, [number, number]> = { url: [0, 0], header: [0, 0], json: [0, 0], form: [0, 0] };

function expectRefusal(result: ReturnType<typeof renderRequest>) {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  for (const error of result.errors) {
    expect(VALUE_CODES).toContain(error.code);
    expect(error.path[0]).toBe('values');
  }
}

// Thousands of runs each: generous timeouts so a loaded CI machine does not fail them on time alone.
describe('structure invariant (property-based)', { timeout: 60_000 }, () => {
  afterAll(() => {
    // A property that refused everything would prove nothing: a good share of the runs must render
    // (the URL case needs four values to pass at once, hence the modest floor).
    for (const [place, [ok, refused]] of Object.entries(tally)) {
      expect(ok, `${place}: ${ok} rendered, ${refused} refused`).toBeGreaterThan((ok + refused) / 10);
    }
  });

  it('URL: host, port, segment count and query keys are the template’s', () => {
    const action = validAction({
      url: 'https://api.example.com:443/v1/orders/{{a}}/items/x{{b}}?q={{c}}&fixed=1&z=p{{d}}',
      parameters: ['a', 'b', 'c', 'd'].map((n) => textParameter(n)),
    });
    fc.assert(
      fc.property(value, value, value, value, (a, b, c, d) => {
        const result = renderRequest(action, { a, b, c, d });
        if (!result.ok) {
          tally.url![1] += 1;
          expectRefusal(result);
          return;
        }
        tally.url![0] += 1;
        const url = new URL(result.request.url);
        expect(url.protocol).toBe('https:');
        expect(url.hostname).toBe('api.example.com');
        expect(url.port).toBe('');
        expect(url.username + url.password + url.hash).toBe('');
        const segments = url.pathname.split('/');
        expect(segments).toHaveLength(6);
        expect(decodeURIComponent(segments[3]!)).toBe(asText(a));
        expect(decodeURIComponent(segments[5]!)).toBe(`x${asText(b)}`);
        expect([...url.searchParams.keys()]).toEqual(['q', 'fixed', 'z']);
        expect(url.searchParams.get('q')).toBe(asText(c));
        expect(url.searchParams.get('fixed')).toBe('1');
        expect(url.searchParams.get('z')).toBe(`p${asText(d)}`);
      }),
      { numRuns: RUNS },
    );
  });

  it('headers: names are the template’s and values are exactly visible ASCII', () => {
    const action = validAction({
      url: 'https://api.example.com/x',
      headers: [
        { name: 'X-Trace', value: 'Bearer {{a}}' },
        { name: 'X-Static', value: '1' },
      ],
      parameters: [textParameter('a')],
    });
    fc.assert(
      fc.property(value, (a) => {
        const result = renderRequest(action, { a });
        const text = asText(a);
        const acceptable =
          (typeof a === 'string' || Number.isFinite(a)) &&
          /^[\t\x20-\x7e]*$/.test(text) &&
          text.trim() !== '' &&
          text.length <= 2048;
        if (!result.ok) {
          tally.header![1] += 1;
          expect(acceptable).toBe(false);
          expectRefusal(result);
          return;
        }
        tally.header![0] += 1;
        expect(acceptable).toBe(true);
        expect(Object.keys(result.request.headers)).toEqual(['X-Trace', 'X-Static']);
        expect(result.request.headers['X-Trace']).toBe(`Bearer ${text}`);
      }),
      { numRuns: RUNS },
    );
  });

  it('JSON body: the parsed body has the template’s shape with only string leaves changed', () => {
    const action = validAction({
      method: 'POST',
      url: 'https://api.example.com/x',
      body: '{"a":"{{a}}","n":{"b":["x{{b}}y",1,true,null,{"k":{"m":"{{a}}{{b}}"}}]},"c":"\\"{{a}}\\\\"}',
      parameters: [textParameter('a'), textParameter('b')],
    });
    fc.assert(
      fc.property(value, value, (a, b) => {
        const result = renderRequest(action, { a, b });
        if (!result.ok) {
          tally.json![1] += 1;
          expectRefusal(result);
          return;
        }
        tally.json![0] += 1;
        const [ta, tb] = [asText(a), asText(b)];
        expect(JSON.parse(result.request.body ?? '')).toEqual({
          a: ta,
          n: { b: [`x${tb}y`, 1, true, null, { k: { m: `${ta}${tb}` } }] },
          c: `"${ta}\\`,
        });
        expect(Object.keys(result.request.headers)).toEqual(['content-type']);
      }),
      { numRuns: RUNS },
    );
  });

  it('form body: field names are the template’s and values decode to the value', () => {
    const action = validAction({
      method: 'POST',
      url: 'https://api.example.com/x',
      headers: [{ name: 'Content-Type', value: 'application/x-www-form-urlencoded' }],
      body: 'a={{a}}&fixed=1&b=x{{b}}',
      parameters: [textParameter('a'), textParameter('b')],
    });
    fc.assert(
      fc.property(value, value, (a, b) => {
        const result = renderRequest(action, { a, b });
        if (!result.ok) {
          tally.form![1] += 1;
          expectRefusal(result);
          return;
        }
        tally.form![0] += 1;
        const fields = new URLSearchParams(result.request.body ?? '');
        expect([...fields.keys()]).toEqual(['a', 'fixed', 'b']);
        expect(fields.get('a')).toBe(asText(a));
        expect(fields.get('b')).toBe(`x${asText(b)}`);
      }),
      { numRuns: RUNS },
    );
  });

  it('never throws, whatever the values', () => {
    const action = validAction({
      method: 'POST',
      url: 'https://api.example.com/{{a}}?q={{a}}',
      headers: [{ name: 'X-A', value: '{{a}}' }],
      body: '{"a":"{{a}}"}',
      parameters: [textParameter('a'), textParameter('e', { type: 'email', required: false })],
    });
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('a', 'e', 'x', '__proto__'), fc.anything()), (values) => {
        const result = renderRequest(action, values);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 1000 },
    );
  });

  it('numbers become decimal text that reads back as the same number', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        const text = numberToDecimal(n);
        expect(text).toMatch(/^-?\d+(\.\d+)?$/);
        expect(Number(text)).toBe(n === 0 ? 0 : n);
      }),
      { numRuns: RUNS },
    );
  });
});
