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
