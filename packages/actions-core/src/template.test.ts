import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTemplate } from './template';

describe('parseTemplate', () => {
  it('splits literal text and placeholders with positions', () => {
    const text = 'https://x.com/orders/{{ order_number }}?e={{identity.email}}';
    expect(parseTemplate(text)).toEqual({
      ok: true,
      pieces: [
        { kind: 'literal', text: 'https://x.com/orders/', start: 0, end: 21 },
        { kind: 'placeholder', name: 'order_number', start: 21, end: 39 },
        { kind: 'literal', text: '?e=', start: 39, end: 42 },
        { kind: 'placeholder', name: 'identity.email', start: 42, end: 60 },
      ],
    });
  });

  it('returns one literal for text without braces, and nothing for empty text', () => {
    expect(parseTemplate('plain')).toEqual({
      ok: true,
      pieces: [{ kind: 'literal', text: 'plain', start: 0, end: 5 }],
    });
    expect(parseTemplate('')).toEqual({ ok: true, pieces: [] });
  });

  it('keeps single braces as literal text', () => {
    expect(parseTemplate('{a} {b}')).toEqual({
      ok: true,
      pieces: [{ kind: 'literal', text: '{a} {b}', start: 0, end: 7 }],
    });
  });

  it.each([
    ['unclosed', 'a {{name', 2, 8, /never closed/],
    ['stray close', 'a }} b', 2, 4, /closes nothing/],
    ['empty', 'a {{}} b', 2, 6, /empty/],
    ['blank', 'a {{   }} b', 2, 9, /empty/],
    ['nested', '{{ a {{ b }} }}', 0, 12, /braces/],
    ['triple', '{{{x}}}', 0, 6, /braces/],
  ])('reports %s braces with the position', (_name, text, start, end, message) => {
    const parsed = parseTemplate(text);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors[0]).toMatchObject({ start, end });
    expect(parsed.errors[0]?.message).toMatch(message);
  });

  it('still returns the well-formed placeholders next to an error', () => {
    const parsed = parseTemplate('{{a}} {{}} {{b}}');
    expect(parsed.ok).toBe(false);
    expect(
      parsed.pieces.filter((p) => p.kind === 'placeholder').map((p) => p.kind === 'placeholder' && p.name),
    ).toEqual(['a', 'b']);
  });

  it('covers the whole text, in order, for any input', { timeout: 30_000 }, () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('{', '}', '{{', '}}', 'a', ' ', '.', 'é') }), (text) => {
        const parsed = parseTemplate(text);
        let at = 0;
        let rebuilt = '';
        for (const piece of parsed.pieces) {
          expect(piece.start).toBe(at);
          rebuilt += text.slice(piece.start, piece.end);
          if (piece.kind === 'literal') expect(piece.text).toBe(text.slice(piece.start, piece.end));
          else expect(piece.name).toBe(text.slice(piece.start + 2, piece.end - 2).trim());
          at = piece.end;
        }
        expect(rebuilt).toBe(text);
        // an error leaves its braces in the literal text; a success leaves none
        const literals = parsed.pieces.flatMap((p) => (p.kind === 'literal' ? [p.text] : []));
        expect(parsed.ok).toBe(!literals.some((l) => l.includes('{{') || l.includes('}}')));
      }),
      { numRuns: 2000 },
    );
  });
});
