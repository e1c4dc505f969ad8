export type TemplatePiece =
  | { kind: 'literal'; text: string; start: number; end: number }
  /** `name` is the trimmed inner text: `order_number` or `identity.email`. `end` is exclusive. */
  | { kind: 'placeholder'; name: string; start: number; end: number };

export interface TemplateSyntaxError {
  message: string;
  start: number;
  end: number;
}

/** Pieces are returned in both cases so the editor can highlight what it can. */
export type ParsedTemplate =
  | { ok: true; pieces: TemplatePiece[] }
  | { ok: false; pieces: TemplatePiece[]; errors: TemplateSyntaxError[] };

const OPEN = '{{';
const CLOSE = '}}';

/**
 * Split `text` into literal text and `{{ name }}` placeholders. A stray `}}`, a `{{` that is never
 * closed, an empty `{{ }}` and braces inside a placeholder are errors: each would otherwise be sent
 * verbatim and the owner would not notice the typo. Positions are UTF-16 offsets into `text`.
 */
export function parseTemplate(text: string): ParsedTemplate {
  const pieces: TemplatePiece[] = [];
  const errors: TemplateSyntaxError[] = [];
  let literalStart = 0;
  let i = 0;

  const pushLiteral = (end: number) => {
    if (end > literalStart) {
      pieces.push({ kind: 'literal', text: text.slice(literalStart, end), start: literalStart, end });
    }
  };

  while (i < text.length) {
    if (text.startsWith(CLOSE, i)) {
      errors.push({
        message: 'This “}}” closes nothing: open a placeholder with “{{” or remove it.',
        start: i,
        end: i + 2,
      });
      i += 2;
      continue;
    }
    if (!text.startsWith(OPEN, i)) {
      i += 1;
      continue;
    }
    const close = text.indexOf(CLOSE, i + 2);
    if (close === -1) {
      errors.push({
        message: 'This “{{” is never closed: end the placeholder with “}}”.',
        start: i,
        end: text.length,
      });
      break;
    }
    const inner = text.slice(i + 2, close);
    const nestedAt = inner.search(/[{}]/);
    if (nestedAt !== -1) {
      errors.push({
        message: 'Placeholders cannot contain braces: write a single name, like {{order_number}}.',
        start: i,
        end: close + 2,
      });
    } else if (inner.trim() === '') {
      errors.push({
        message: 'This placeholder is empty: put a parameter name between the braces, like {{order_number}}.',
        start: i,
        end: close + 2,
      });
    } else {
      pushLiteral(i);
      pieces.push({ kind: 'placeholder', name: inner.trim(), start: i, end: close + 2 });
      literalStart = close + 2;
    }
    i = close + 2;
  }
  // Text of invalid placeholders stays in the surrounding literal, so the editor shows it as typed.
  pushLiteral(text.length);
  return errors.length === 0 ? { ok: true, pieces } : { ok: false, pieces, errors };
}

/** The well-formed placeholders of a template (also when other parts of it have syntax errors). */
export function placeholdersOf(text: string): { name: string; start: number; end: number }[] {
  return parseTemplate(text).pieces.flatMap((p) => (p.kind === 'placeholder' ? [p] : []));
}
