import {
  type ActionDefinition,
  IDENTITY_FIELDS,
  type IdentityField,
  type Issue,
  METHODS_WITH_BODY,
  parseTemplate,
} from '@aihio/actions-core';

export type UsageLocation = 'url' | 'headers' | 'body';

export interface TemplateUsage {
  /** Where each placeholder name (parameter or not) appears, in request order. */
  byName: Record<string, UsageLocation[]>;
  /** The identity fields the request sends, each once. */
  identityFields: IdentityField[];
}

const IDENTITY_PREFIX = 'identity.';

function placeholders(text: string): string[] {
  return parseTemplate(text).pieces.flatMap((p) => (p.kind === 'placeholder' ? [p.name] : []));
}

/** The placeholders of the request, for "used in" and the GDPR notice (the body only when it is sent). */
export function templateUsage(
  action: Pick<ActionDefinition, 'url' | 'headers' | 'body' | 'method'>,
): TemplateUsage {
  const byName: Record<string, UsageLocation[]> = {};
  const identity = new Set<IdentityField>();
  const add = (location: UsageLocation, names: string[]) => {
    for (const name of names) {
      const list = byName[name] ?? [];
      if (!list.includes(location)) list.push(location);
      byName[name] = list;
      if (name.startsWith(IDENTITY_PREFIX)) {
        const field = name.slice(IDENTITY_PREFIX.length);
        if ((IDENTITY_FIELDS as readonly string[]).includes(field)) identity.add(field as IdentityField);
      }
    }
  };
  add('url', placeholders(action.url));
  for (const header of action.headers) add('headers', placeholders(header.value));
  if (action.body && METHODS_WITH_BODY.includes(action.method)) add('body', placeholders(action.body));
  return { byName, identityFields: IDENTITY_FIELDS.filter((f) => identity.has(f)) };
}

export function pathKey(path: readonly (string | number)[]): string {
  return path.join('.');
}

/** Issues grouped by their path (`parameters.2.name`), in the order core reported them. */
export function groupIssues(issues: readonly Issue[]): Map<string, Issue[]> {
  const map = new Map<string, Issue[]>();
  for (const issue of issues) {
    const key = pathKey(issue.path);
    const list = map.get(key);
    if (list) list.push(issue);
    else map.set(key, [issue]);
  }
  return map;
}

/** A DOM id for the field at `path`, so an error summary can focus it. */
export function fieldId(prefix: string, path: readonly (string | number)[]): string {
  return `${prefix}-${path.join('-')}`;
}
