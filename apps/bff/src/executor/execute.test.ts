import { describe, expect, it } from 'vitest';
import { cutText, isHeaderSafe } from './execute';

describe('cutText', () => {
  it('keeps a body within the budget as it is', () => {
    expect(cutText('hello', 5)).toEqual({ text: 'hello', cut: false });
  });

  it('cuts at the byte budget without leaving half a character', () => {
    // 'é' is two bytes: a budget of 5 fits two of them and half of the third.
    expect(cutText('ééé', 5)).toEqual({ text: 'éé', cut: true });
    expect(cutText('abcdef', 3)).toEqual({ text: 'abc', cut: true });
  });
});

describe('isHeaderSafe', () => {
  it('accepts visible ASCII with inner spaces, refuses controls, non-ASCII and outer whitespace', () => {
    expect(isHeaderSafe('abc DEF-123_~')).toBe(true);
    for (const bad of ['', 'a\nb', 'a\rb', 'a\u0000b', 'ä', ' lead', 'trail ', 'tab\t']) {
      expect({ bad, safe: isHeaderSafe(bad) }).toEqual({ bad, safe: false });
    }
  });
});
