import { describe, expect, it } from 'vitest';
import { REDACTED, redactSecret } from './redact';

const SECRET = 'sk_live/"quoted"\\tail-0123456789';

describe('redactSecret', () => {
  it('replaces the secret as sent, JSON-escaped (with and without \\/), and percent-encoded', () => {
    const forms = [
      SECRET,
      JSON.stringify(SECRET).slice(1, -1),
      JSON.stringify(SECRET).slice(1, -1).replaceAll('/', '\\/'),
      encodeURIComponent(SECRET),
    ];
    for (const form of forms) {
      const body = `{"headers":{"authorization":"Bearer ${form}"},"again":"${form}"}`;
      const out = redactSecret(body, SECRET, false);
      expect(out).not.toContain(form);
      expect(out).toBe(`{"headers":{"authorization":"Bearer ${REDACTED}"},"again":"${REDACTED}"}`);
    }
  });

  it('drops the start of the secret left at the end of a body cut at the cap', () => {
    const body = `{"authorization":"Bearer ${SECRET.slice(0, 12)}`;
    expect(redactSecret(body, SECRET, true)).toBe('{"authorization":"Bearer ');
    // Not cut: the same ending is the upstream's own text.
    expect(redactSecret(body, SECRET, false)).toBe(body);
  });

  it('leaves a body without the secret as it is', () => {
    expect(redactSecret('{"ok":true}', SECRET, true)).toBe('{"ok":true}');
  });
});
