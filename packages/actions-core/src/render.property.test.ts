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
  'value_number',
  'value_integer',
  'value_boolean',
  'value_enum',
  'value_date',
];

/**
 * What an agent might send for a typed parameter: real numbers and booleans, their text, near
 * misses ("3.5" for an integer, "TRUE", 2026-02-30) and the adversarial strings above.
 */
const typedValue = fc.oneof(
  { weight: 4, arbitrary: fc.double() },
  { weight: 4, arbitrary: fc.integer() },
  { weight: 2, arbitrary: fc.maxSafeInteger() },
  { weight: 2, arbitrary: fc.boolean() },
  { weight: 3, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }).map(String) },
  { weight: 3, arbitrary: fc.integer().map(String) },
  {
    weight: 2,
    arbitrary: fc.constantFrom('true', 'false', 'TRUE', '3.5', '3', '-0', '1e3', '1e999', '0x1', ' 7 ', '+1'),
  },
  {
    weight: 2,
    arbitrary: fc
      .date({ min: new Date(Date.UTC(1, 0, 1)), max: new Date(Date.UTC(9999, 11, 31)), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10)),
  },
  { weight: 1, arbitrary: fc.constantFrom('2026-02-30', '2025-02-29', '2024-02-29', '2026-13-01') },
  { weight: 2, arbitrary: fc.constantFrom('open', 'on hold', 'a/b', '..', 'Open') },
  { weight: 3, arbitrary: adversarialString },
);

const isoDate = fc
  .date({ min: new Date(Date.UTC(1, 0, 1)), max: new Date(Date.UTC(9999, 11, 31)), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const CHOICES = ['open', 'on hold', 'a/b', '..', '%2e'];

/** Mostly a value of the type (so that most runs render), else anything from `typedValue`. */
const typedFor = {
  number: fc.oneof({ weight: 4, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) }, typedValue),
  integer: fc.oneof({ weight: 4, arbitrary: fc.integer() }, typedValue),
  boolean: fc.oneof({ weight: 4, arbitrary: fc.boolean() }, typedValue),
  enum: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...CHOICES) }, typedValue),
  date: fc.oneof({ weight: 4, arbitrary: isoDate }, typedValue),
};

/** What a typed value means, by the rules of the issue, or undefined when it must be refused. */
function expected(type: 'number' | 'integer' | 'boolean', v: unknown): number | boolean | undefined {
  if (type === 'boolean') {
    if (typeof v === 'boolean') return v;
    return typeof v === 'string' && ['true', 'false'].includes(v.trim()) ? v.trim() === 'true' : undefined;
  }
  let n: number | undefined;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string') {
    const t = v.trim();
    const shape = type === 'integer' ? /^[+-]?\d+$/ : /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
    if (shape.test(t) && v.length <= 64) n = Number(t);
  }
  if (n === undefined || !Number.isFinite(n)) return undefined;
  if (type === 'integer' && (!Number.isInteger(n) || Math.abs(n) > 2 ** 53)) return undefined;
  return n === 0 ? 0 : n;
}

const asText = (v: string | number) => (typeof v === 'number' ? numberToDecimal(v) : v);

/** [rendered, refused] per property. */
const tally: Record<string, [number, number]> = {
  url: [0, 0],
  header: [0, 0],
  json: [0, 0],
  form: [0, 0],
  typedJson: [0, 0],
  typedUrl: [0, 0],
};

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

  it('JSON body with typed parameters: bare placeholders become exactly one JSON literal of their type', () => {
    const action = validAction({
      method: 'POST',
      url: 'https://api.example.com/x',
      body: '{"n": {{n}}, "i":[{{i}}, {"b": {{b}} }], "s":"{{i}}|{{b}}|{{n}}", "e":"{{e}}", "d":"{{d}}", "z": {{i}} }',
      parameters: [
        textParameter('n', { type: 'number' }),
        textParameter('i', { type: 'integer' }),
        textParameter('b', { type: 'boolean' }),
        textParameter('e', { type: 'enum', choices: CHOICES }),
        textParameter('d', { type: 'date' }),
      ],
    });
    fc.assert(
      fc.property(
        typedFor.number,
        typedFor.integer,
        typedFor.boolean,
        typedFor.enum,
        typedFor.date,
        (n, i, b, e, d) => {
          const result = renderRequest(action, { n, i, b, e, d });
          const [en, ei, eb] = [expected('number', n), expected('integer', i), expected('boolean', b)];
          if (!result.ok) {
            tally.typedJson![1] += 1;
            expectRefusal(result);
            // Every refusal is deserved: a value the rules accept is never refused.
            const refused = new Set(result.errors.map((err) => err.path[1]));
            if (en !== undefined) expect(refused.has('n')).toBe(false);
            if (ei !== undefined) expect(refused.has('i')).toBe(false);
            if (eb !== undefined) expect(refused.has('b')).toBe(false);
            return;
          }
          tally.typedJson![0] += 1;
          expect([en, ei, eb]).not.toContain(undefined);
          const body = JSON.parse(result.request.body ?? '');
          expect(body).toEqual({
            n: en,
            i: [ei, { b: eb }],
            s: `${numberToDecimal(ei as number)}|${eb}|${numberToDecimal(en as number)}`,
            e,
            d: typeof d === 'string' ? d.trim() : d,
            z: ei,
          });
          expect(CHOICES).toContain(e);
          expect(body.d).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('URL and headers with typed parameters: the template’s shape, the value’s canonical text', () => {
    const action = validAction({
      url: 'https://api.example.com/v1/{{i}}/{{d}}/{{e}}?b={{b}}&n={{n}}',
      headers: [{ name: 'X-N', value: '{{n}};{{b}}' }],
      parameters: [
        textParameter('n', { type: 'number' }),
        textParameter('i', { type: 'integer' }),
        textParameter('b', { type: 'boolean' }),
        textParameter('e', { type: 'enum', choices: CHOICES }),
        textParameter('d', { type: 'date' }),
      ],
    });
    fc.assert(
      fc.property(
        typedFor.number,
        typedFor.integer,
        typedFor.boolean,
        typedFor.enum,
        typedFor.date,
        (n, i, b, e, d) => {
          const result = renderRequest(action, { n, i, b, e, d });
          if (!result.ok) {
            tally.typedUrl![1] += 1;
            expectRefusal(result);
            return;
          }
          tally.typedUrl![0] += 1;
          const url = new URL(result.request.url);
          expect(url.hostname).toBe('api.example.com');
          const segments = url.pathname.split('/');
          expect(segments).toHaveLength(5);
          expect(Number(decodeURIComponent(segments[2]!))).toBe(expected('integer', i));
          expect(decodeURIComponent(segments[3]!)).toMatch(/^\d{4}-\d{2}-\d{2}$/);
          expect(['open', 'on hold', 'a/b']).toContain(decodeURIComponent(segments[4]!));
          expect([...url.searchParams.keys()]).toEqual(['b', 'n']);
          expect(url.searchParams.get('b')).toBe(String(expected('boolean', b)));
          expect(Number(url.searchParams.get('n'))).toBe(expected('number', n));
          expect(result.request.headers['X-N']).toBe(
            `${url.searchParams.get('n')};${url.searchParams.get('b')}`,
          );
        },
      ),
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
