import { describe, expect, it } from 'vitest';
import { checkValue, numberToDecimal, valueAsText } from './values';

describe('numberToDecimal', () => {
  it.each<[number, string]>([
    [0, '0'],
    [-0, '0'],
    [42, '42'],
    [-3.25, '-3.25'],
    [1e21, '1000000000000000000000'],
    [-1.5e22, '-15000000000000000000000'],
    [1e-7, '0.0000001'],
    [1.234e-10, '0.0000000001234'],
    [Number.MAX_SAFE_INTEGER, '9007199254740991'],
  ])('%d → %s', (n, text) => {
    expect(numberToDecimal(n)).toBe(text);
  });
});

describe('valueAsText', () => {
  it('keeps strings and refuses what is not text or a finite number', () => {
    expect(valueAsText('x')).toEqual({ ok: true, value: 'x' });
    expect(valueAsText(undefined)).toMatchObject({ ok: false, code: 'value_type' });
    expect(valueAsText(10n)).toMatchObject({ ok: false, code: 'value_type' });
  });
});

describe('checkValue', () => {
  it.each([
    ['+358401234567', '+358401234567'],
    ['+358 (40) 123-4567', '+358401234567'],
    ['  +1 415 555 0100 ', '+14155550100'],
    ['+44 20 7946 0958', '+442079460958'],
  ])('normalises the phone %j to E.164', (input, e164) => {
    expect(checkValue('phone', input)).toEqual({ ok: true, value: e164 });
  });

  it.each(['0401234567', '+1', '+999 123', 'phone', '+358 40 123 4567 8901 2345'])(
    'refuses the phone %j',
    (input) => {
      expect(checkValue('phone', input)).toMatchObject({ ok: false, code: 'value_phone' });
    },
  );

  it.each(['a@example.com', 'first.last+tag@sub.example.co'])('accepts the email %j', (input) => {
    expect(checkValue('email', input)).toEqual({ ok: true, value: input });
  });

  it.each([
    'a@',
    '@example.com',
    'a b@example.com',
    'a@example',
    'a@@example.com',
    'a@example.com\r\nBcc: x',
  ])('refuses the email %j', (input) => {
    expect(checkValue('email', input).ok).toBe(false);
  });
});

describe('checkValue: typed parameters', () => {
  it.each<[unknown, string]>([
    [3, '3'],
    ['3', '3'],
    [' -3 ', '-3'],
    ['+7', '7'],
    [-0, '0'],
    [2 ** 53, '9007199254740992'],
    ['-9007199254740992', '-9007199254740992'],
    [1e3, '1000'],
  ])('accepts the integer %j as %s', (raw, canonical) => {
    expect(checkValue('integer', raw)).toEqual({ ok: true, value: canonical });
  });

  it.each<unknown>([
    '3.5',
    3.5,
    '3.0',
    '1e3',
    '0x10',
    'three',
    true,
    null,
    [3],
    2 ** 53 + 2,
    '9007199254740993',
    Number.NaN,
    Infinity,
    '',
  ])('refuses the integer %j', (raw) => {
    expect(checkValue('integer', raw)).toMatchObject({ ok: false, code: 'value_integer' });
  });

  it.each<[unknown, string]>([
    [3.5, '3.5'],
    ['3.5', '3.5'],
    ['-0.25', '-0.25'],
    ['1e3', '1000'],
    ['1E-7', '0.0000001'],
    [1e21, '1000000000000000000000'],
    ['42', '42'],
  ])('accepts the number %j as %s', (raw, canonical) => {
    expect(checkValue('number', raw)).toEqual({ ok: true, value: canonical });
  });

  it.each<unknown>([
    '3,5',
    '.5',
    '5.',
    '0x10',
    'NaN',
    'Infinity',
    '1e999',
    Infinity,
    Number.NaN,
    false,
    {},
    '1_000',
    `1${'0'.repeat(80)}`,
  ])('refuses the number %j', (raw) => {
    expect(checkValue('number', raw)).toMatchObject({ ok: false, code: 'value_number' });
  });

  it.each<[unknown, string]>([
    [true, 'true'],
    [false, 'false'],
    ['true', 'true'],
    [' false', 'false'],
  ])('accepts the boolean %j', (raw, canonical) => {
    expect(checkValue('boolean', raw)).toEqual({ ok: true, value: canonical });
  });

  it.each<unknown>(['yes', 'TRUE', 'True', 1, 0, '1', null, 'false!'])('refuses the boolean %j', (raw) => {
    expect(checkValue('boolean', raw)).toMatchObject({ ok: false, code: 'value_boolean' });
  });

  it('takes an enum value only when it is one of the choices, exactly', () => {
    const spec = { type: 'enum' as const, choices: ['open', 'closed', '10'] };
    expect(checkValue(spec, 'open')).toEqual({ ok: true, value: 'open' });
    expect(checkValue(spec, 10)).toEqual({ ok: true, value: '10' });
    for (const raw of ['Open', ' open', 'opened', '', true]) {
      expect(checkValue(spec, raw), String(raw)).toMatchObject({ ok: false });
    }
    expect(checkValue(spec, 'Open')).toMatchObject({
      code: 'value_enum',
      message: expect.stringContaining('“closed”'),
    });
    expect(checkValue('enum', 'open')).toMatchObject({ ok: false, code: 'value_enum' });
  });

  it.each(['2026-01-31', '2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31', ' 2026-12-01 '])(
    'accepts the date %j',
    (raw) => {
      expect(checkValue('date', raw)).toEqual({ ok: true, value: raw.trim() });
    },
  );

  it.each([
    '2026-02-29',
    '1900-02-29',
    '2026-02-30',
    '2026-13-01',
    '2026-00-10',
    '2026-04-31',
    '0000-01-01',
    '2026-1-5',
    '31.01.2026',
    '2026-01-31T10:00',
    '20260131',
    20260131,
  ])('refuses the date %j', (raw) => {
    expect(checkValue('date', raw)).toMatchObject({ ok: false });
  });
});
