import { type ActionDefinition, IDENTITY_FIELDS, type IdentityField } from './action';
import type { Issue } from './errors';
import { parseJsonTemplate } from './json-template';
import { bodyFormat, hasBody } from './rules/body';
import type { PlaceholderRef } from './slots';
import { parseTemplate } from './template';

/** One `{{name}}` in the request, for the editor ("used in URL, header 2") and the reference rules. */
export interface PlaceholderUsage {
  /** The trimmed text between the braces. */
  name: string;
  ref: PlaceholderRef;
  /** The field it is in: `['url']`, `['headers', i, 'value']` or `['body']`. */
  path: Issue['path'];
  /** Offsets in that field's text (end exclusive). */
  start: number;
  end: number;
}

const IDENTITY_PREFIX = 'identity.';

/** What a placeholder name refers to, given the action's parameters. */
export function resolvePlaceholder(name: string, parameters: ActionDefinition['parameters']): PlaceholderRef {
  if (name.startsWith(IDENTITY_PREFIX)) {
    const field = name.slice(IDENTITY_PREFIX.length);
    return (IDENTITY_FIELDS as readonly string[]).includes(field)
      ? { kind: 'identity', field: field as IdentityField }
      : { kind: 'unknown' };
  }
  return parameters.some((p) => p.name === name) ? { kind: 'parameter', name } : { kind: 'unknown' };
}

/**
 * Every well-formed placeholder of the URL, the header values and the body, also when the action
 * has other errors (the editor lists usages while the owner types).
 */
export function findPlaceholderUsages(
  action: Pick<ActionDefinition, 'url' | 'headers' | 'body' | 'parameters'>,
): PlaceholderUsage[] {
  const usages: PlaceholderUsage[] = [];
  const add = (path: Issue['path'], found: { name: string; start: number; end: number }[]) => {
    for (const { name, start, end } of found) {
      usages.push({ name, ref: resolvePlaceholder(name, action.parameters), path, start, end });
    }
  };
  const placeholders = (text: string) =>
    parseTemplate(text).pieces.flatMap((p) => (p.kind === 'placeholder' ? [p] : []));
  add(['url'], placeholders(action.url));
  action.headers.forEach((header, index) => {
    add(['headers', index, 'value'], placeholders(header.value));
  });
  if (hasBody(action)) {
    add(
      ['body'],
      bodyFormat(action) === 'form'
        ? placeholders(action.body)
        : parseJsonTemplate(action.body).pieces.flatMap((p) => (p.kind === 'placeholder' ? [p] : [])),
    );
  }
  return usages;
}

/** Whether the request sends any `{{identity.*}}` field. */
export function usesIdentity(
  action: Pick<ActionDefinition, 'url' | 'headers' | 'body' | 'parameters'>,
): boolean {
  return findPlaceholderUsages(action).some((u) => u.ref.kind === 'identity');
}

/** The identity fields the request sends, each once. */
export function identityFieldsUsed(
  action: Pick<ActionDefinition, 'url' | 'headers' | 'body' | 'parameters'>,
): IdentityField[] {
  const fields = new Set<IdentityField>();
  for (const u of findPlaceholderUsages(action)) if (u.ref.kind === 'identity') fields.add(u.ref.field);
  return [...fields];
}
