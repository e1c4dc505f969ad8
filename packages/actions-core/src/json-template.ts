import { parseTemplate } from './template';

/**
 * A JSON body with `{{placeholders}}` inside its string values. The scan finds every string literal
 * of the text (keys and values), parses placeholders only inside them, and treats a `{{` anywhere
 * else as a bare placeholder. A bare placeholder is an error unless `bareStandIn` gives it a typed
 * stand-in (a number, integer or boolean parameter) AND it is a whole JSON value on its own (after
 * `:`, `,` or `[`, before `,`, `}` or `]`): its value then renders as exactly one JSON literal, so
 * the body keeps the template's structure. Anywhere else a value could become an object or several
 * members. Outside strings `}}` is ordinary JSON (`{"a":{"b":1}}`), so only strings are
 * template-parsed.
 */

export type JsonTemplatePiece =
  | { kind: 'literal'; text: string }
  /** `bare` when the placeholder stands outside quotes as a whole JSON value. */
  | { kind: 'placeholder'; name: string; start: number; end: number; bare: boolean };

/**
 * The JSON literal a bare `{{name}}` stands in for while the template is checked (`0`, `true`), or
 * null when that name may not stand bare.
 */
export type BareStandIn = (name: string) => string | null;

export interface JsonTemplateProblem {
  kind: 'syntax' | 'bare' | 'key' | 'invalid';
  message: string;
  start: number;
  end: number;
}

export interface JsonTemplate {
  pieces: JsonTemplatePiece[];
  problems: JsonTemplateProblem[];
}

/** A string is a key when a colon follows it (JSON whitespace aside). */
const KEY_FOLLOWS = /[ \t\n\r]*:/y;

const BEFORE_BARE = new Set([':', ',', '[', undefined]);
const AFTER_BARE = new Set([',', '}', ']', undefined]);
const JSON_SPACE = /[ \t\n\r]/;

function neighbour(text: string, from: number, step: 1 | -1): string | undefined {
  for (let j = from; j >= 0 && j < text.length; j += step) {
    const c = text[j] as string;
    if (!JSON_SPACE.test(c)) return c;
  }
  return undefined;
}

export function parseJsonTemplate(text: string, bareStandIn: BareStandIn = () => null): JsonTemplate {
  const pieces: JsonTemplatePiece[] = [];
  const problems: JsonTemplateProblem[] = [];
  let literalStart = 0;
  /** The text JSON.parse checks: each placeholder stands in as a plain letter (or `0` when bare). */
  let sample = '';
  let sampleFrom = 0;
  let i = 0;

  const placeholder = (name: string, start: number, end: number, stand: string, bare: boolean) => {
    if (start > literalStart) pieces.push({ kind: 'literal', text: text.slice(literalStart, start) });
    pieces.push({ kind: 'placeholder', name, start, end, bare });
    literalStart = end;
    sample += text.slice(sampleFrom, start) + stand;
    sampleFrom = end;
  };

  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      const close = endOfString(text, i);
      if (close === -1) break; // unterminated: JSON.parse below reports it
      KEY_FOLLOWS.lastIndex = close + 1;
      const isKey = KEY_FOLLOWS.test(text);
      const inner = parseTemplate(text.slice(i + 1, close));
      const offset = i + 1;
      if (!inner.ok) {
        for (const e of inner.errors) {
          problems.push({ kind: 'syntax', message: e.message, start: e.start + offset, end: e.end + offset });
        }
      }
      for (const p of inner.pieces) {
        if (p.kind !== 'placeholder') continue;
        if (isKey) {
          problems.push({
            kind: 'key',
            message: `{{${p.name}}} is in a key: placeholders can only be inside string values.`,
            start: p.start + offset,
            end: p.end + offset,
          });
        }
        // 'x' is not a JSON escape letter nor a hex digit, so a placeholder sitting inside an escape
        // sequence (`"\{{a}}"`, `"\u00{{a}}"`) makes the sample invalid JSON and is reported.
        placeholder(p.name, p.start + offset, p.end + offset, 'x', false);
      }
      i = close + 1;
      continue;
    }
    if (text.startsWith('{{', i)) {
      const close = text.indexOf('}}', i + 2);
      const end = close === -1 ? text.length : close + 2;
      const name = text.slice(i + 2, close === -1 ? text.length : close).trim();
      const stand = close === -1 ? null : bareStandIn(name);
      if (stand === null) {
        problems.push({
          kind: 'bare',
          message: `Put {{${name}}} inside quotes ("{{${name}}}"): only number, integer and true/false parameters may stand outside quotes.`,
          start: i,
          end,
        });
      } else if (!BEFORE_BARE.has(neighbour(text, i - 1, -1)) || !AFTER_BARE.has(neighbour(text, end, 1))) {
        problems.push({
          kind: 'bare',
          message: `{{${name}}} outside quotes must be a whole value on its own, like "${name}": {{${name}}}.`,
          start: i,
          end,
        });
      }
      placeholder(name, i, end, stand ?? '0', true);
      i = end;
      continue;
    }
    i += 1;
  }
  if (literalStart < text.length) pieces.push({ kind: 'literal', text: text.slice(literalStart) });
  sample += text.slice(sampleFrom);

  if (!problems.some((p) => p.kind === 'bare')) {
    try {
      JSON.parse(sample);
    } catch (error) {
      problems.push({
        kind: 'invalid',
        message: `The body is not valid JSON (${(error as Error).message}).`,
        start: 0,
        end: text.length,
      });
    }
  }
  return { pieces, problems };
}

/** Index of the quote closing the string that opens at `start`, or -1. */
function endOfString(text: string, start: number): number {
  for (let j = start + 1; j < text.length; j++) {
    const c = text[j];
    if (c === '\\') j += 1;
    else if (c === '"') return j;
  }
  return -1;
}

/** A value as it goes between the quotes of a JSON string. */
export function jsonStringContent(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}
