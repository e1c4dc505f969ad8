import { type ActionDefinition, BARE_JSON_TYPES, METHODS_WITH_BODY } from '../action';
import type { Issue } from '../errors';
import { FORM_MEDIA_TYPE, mediaType } from '../http';
import { issue } from '../issue';
import { parseJsonTemplate } from '../json-template';
import type { Slot } from '../slots';
import { parseTemplate } from '../template';
import { INCOMPLETE_ESCAPE } from './url';

export type BodyFormat = 'json' | 'form';

export interface BodyTemplate {
  format: BodyFormat;
  slots: Slot[];
}

const PATH = ['body'];

/** Whether the action has a body at all: blank text counts as none. */
export function hasBody(action: Pick<ActionDefinition, 'body'>): action is { body: string } {
  return typeof action.body === 'string' && action.body.trim() !== '';
}

/** Form-urlencoded when a Content-Type header says so; JSON otherwise. */
export function bodyFormat(action: Pick<ActionDefinition, 'headers'>): BodyFormat {
  const contentType = action.headers.find((h) => h.name.toLowerCase() === 'content-type');
  return contentType && mediaType(contentType.value) === FORM_MEDIA_TYPE ? 'form' : 'json';
}

export function analyzeBody(action: Pick<ActionDefinition, 'body' | 'headers' | 'method' | 'parameters'>): {
  issues: Issue[];
  template: BodyTemplate | null;
} {
  if (!hasBody(action)) return { issues: [], template: null };
  if (!METHODS_WITH_BODY.includes(action.method)) {
    return {
      issues: [
        issue(
          'body_not_allowed',
          PATH,
          `${action.method} requests have no body: remove it or use POST, PUT or PATCH.`,
        ),
      ],
      template: null,
    };
  }
  return bodyFormat(action) === 'form'
    ? analyzeForm(action.body)
    : analyzeJson(action.body, action.parameters);
}

/** A typed stand-in for each parameter that may stand bare in a JSON body: `true` or `0`. */
export function bareStandIns(parameters: ActionDefinition['parameters']): (name: string) => string | null {
  return (name) => {
    const type = parameters.find((p) => p.name === name)?.type;
    if (type === undefined || !BARE_JSON_TYPES.includes(type)) return null;
    return type === 'boolean' ? 'true' : '0';
  };
}

function analyzeJson(
  body: string,
  parameters: ActionDefinition['parameters'],
): { issues: Issue[]; template: BodyTemplate | null } {
  const parsed = parseJsonTemplate(body, bareStandIns(parameters));
  const issues = parsed.problems.map((p) =>
    issue(
      p.kind === 'syntax'
        ? 'template_syntax'
        : p.kind === 'invalid'
          ? 'body_invalid'
          : 'body_placeholder_position',
      PATH,
      p.kind === 'invalid' ? p.message : `At character ${p.start + 1}: ${p.message}`,
    ),
  );
  const slots: Slot[] = parsed.pieces.map((p) =>
    p.kind === 'literal'
      ? p
      : {
          kind: 'placeholder',
          name: p.name,
          start: p.start,
          end: p.end,
          placement: { kind: p.bare ? 'json_literal' : 'json' },
        },
  );
  return { issues, template: issues.length === 0 ? { format: 'json', slots } : null };
}

/** `key=value&key2=value2`: placeholders only in values, whose text is form-encoded when rendered. */
function analyzeForm(body: string): { issues: Issue[]; template: BodyTemplate | null } {
  const issues: Issue[] = [];
  const parsed = parseTemplate(body);
  if (!parsed.ok) {
    for (const e of parsed.errors) {
      issues.push(issue('template_syntax', PATH, `At character ${e.start + 1}: ${e.message}`));
    }
  }
  let inValue = false;
  const slots: Slot[] = [];
  for (const piece of parsed.pieces) {
    if (piece.kind === 'literal') {
      slots.push({ kind: 'literal', text: piece.text });
      for (const c of piece.text) {
        if (c === '&') inValue = false;
        else if (c === '=') inValue = true;
      }
    } else if (inValue) {
      slots.push({ ...piece, placement: { kind: 'form' } });
    } else {
      issues.push(
        issue(
          'body_placeholder_position',
          PATH,
          `{{${piece.name}}} is in a field name: placeholders can only be in values (name={{${piece.name}}}).`,
        ),
      );
    }
  }
  if (parsed.pieces.some((p) => p.kind === 'literal' && INCOMPLETE_ESCAPE.test(p.text))) {
    issues.push(
      issue(
        'body_invalid',
        PATH,
        'A % in a form body must start an escape like %2B; write a literal % as %25.',
      ),
    );
  }
  if (/[\s]/.test(parsed.pieces.map((p) => (p.kind === 'literal' ? p.text : '')).join(''))) {
    issues.push(
      issue('body_invalid', PATH, 'A form body cannot contain spaces or line breaks: write a space as +.'),
    );
  }
  return { issues, template: issues.length === 0 ? { format: 'form', slots } : null };
}
