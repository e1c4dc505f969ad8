import type { ActionDefinition, HttpMethod, IdentityField, ParameterType } from './action';
import { LIMITS } from './action';
import type { CompiledAction } from './analyze';
import type { Issue } from './errors';
import { HEADER_VALUE } from './http';
import { issue } from './issue';
import { jsonStringContent } from './json-template';
import { shapeOf } from './rules/url';
import type { PlaceholderRef, Slot, UrlShape } from './slots';
import { resolvePlaceholder } from './usages';
import { compileAction } from './validate';
import { checkValue } from './values';

/**
 * Who the visitor is, as the BFF verified it. Only a signed JWT fills `{{identity.*}}`; with an
 * HMAC user hash (verified for display) or none, rendering an identity reference fails closed.
 */
export type RenderIdentity =
  | { method: 'jwt'; claims: Partial<Record<IdentityField, string>> }
  | { method: 'hmac'; userId: string };

export interface RenderedRequest {
  method: HttpMethod;
  url: string;
  /** Header names as the template has them (case kept); values rendered. */
  headers: Record<string, string>;
  body: string | null;
}

export type RenderResult = { ok: true; request: RenderedRequest } | { ok: false; errors: Issue[] };

const IDENTITY_TYPES: Record<IdentityField, ParameterType> = {
  user_id: 'text',
  email: 'email',
  name: 'text',
  phone: 'phone',
};

/**
 * The concrete request for `values` (parameter name → value, as an agent or a tester sends them) and
 * the verified identity. The action is validated first (an invalid action gives its definition
 * issues); value issues have paths `['values', name]` or `['identity', field]`. Credentials are not
 * added here: the executor sets the auth header after rendering. A value can never change the host,
 * port, path segment count, query keys, header names or body structure of the template.
 */
export function renderRequest(
  action: ActionDefinition,
  values: Record<string, unknown>,
  options: { identity?: RenderIdentity | null } = {},
): RenderResult {
  const compiled = compileAction(action);
  if (!compiled.ok) return compiled;
  return renderCompiled(compiled.compiled, values, options.identity ?? null);
}

interface Resolved {
  values: Map<string, string>;
  errors: Issue[];
}

function valuePath(ref: PlaceholderRef): Issue['path'] {
  if (ref.kind === 'identity') return ['identity', ref.field];
  return ['values', ref.kind === 'parameter' ? ref.name : ''];
}

function refKey(ref: PlaceholderRef): string {
  return ref.kind === 'identity' ? `identity.${ref.field}` : ref.kind === 'parameter' ? ref.name : '';
}

function slotsOf(compiled: CompiledAction): Slot[] {
  return [
    ...compiled.url.slots,
    ...compiled.headers.flatMap((h) => h.slots),
    ...(compiled.body?.slots ?? []),
  ];
}

/** Check every parameter value and every identity field the request uses; collect all problems. */
function resolveValues(
  compiled: CompiledAction,
  values: Record<string, unknown>,
  identity: RenderIdentity | null,
): Resolved {
  const errors: Issue[] = [];
  const resolved = new Map<string, string>();
  const given = values !== null && typeof values === 'object' ? values : {};
  for (const parameter of compiled.action.parameters) {
    const path = ['values', parameter.name];
    const raw = Object.hasOwn(given, parameter.name) ? given[parameter.name] : undefined;
    // Blank text counts as missing: a required parameter exists so the call never runs without data.
    // Null is "not given" for an optional parameter (OpenAI's strict tools send it for one left out).
    if (
      raw === undefined ||
      (raw === null && !parameter.required) ||
      (typeof raw === 'string' && raw.trim() === '')
    ) {
      if (parameter.required) {
        errors.push(issue('value_required', path, `Enter a value for “${parameter.label}”.`));
      }
      continue;
    }
    const checked = checkValue(parameter, raw);
    if (checked.ok) resolved.set(parameter.name, checked.value);
    else errors.push(issue(checked.code, path, checked.message));
  }

  const fields = new Set<IdentityField>();
  for (const slot of slotsOf(compiled)) {
    if (slot.kind !== 'placeholder') continue;
    const ref = resolvePlaceholder(slot.name, compiled.action.parameters);
    if (ref.kind === 'identity') fields.add(ref.field);
  }
  if (fields.size > 0) {
    if (identity?.method !== 'jwt') {
      errors.push(
        issue(
          'identity_unverified',
          ['identity'],
          'This action sends verified visitor details, and the visitor is not verified with a signed JWT, so the call was not made.',
        ),
      );
    } else {
      for (const field of fields) {
        const claim = identity.claims[field];
        const path = ['identity', field];
        if (claim === undefined || claim === '') {
          errors.push(
            issue('identity_field_missing', path, `The visitor’s verified identity has no ${field}.`),
          );
          continue;
        }
        const checked = checkValue(IDENTITY_TYPES[field], claim);
        if (checked.ok) resolved.set(`identity.${field}`, checked.value);
        else errors.push(issue(checked.code, path, checked.message));
      }
    }
  }
  return { values: resolved, errors };
}

/** `.` and `..` are dot-segments for URL parsers, also spelled with `%2e` (any case). */
function isDotSegment(segment: string): boolean {
  const dots = segment.replace(/%2e/gi, '.');
  return dots === '.' || dots === '..';
}

/**
 * A dot-segment anywhere in a path value, as a server that decodes `%2F` (or reads `\` as `/`, or
 * folds full-width dots with NFKC) before routing would see it: `../admin`, `x/..`, `．．`.
 */
function hasDotSegment(value: string): boolean {
  return value.normalize('NFKC').split(/[/\\]/).some(isDotSegment);
}

/** The value and each of its percent-decodings, in case some server along the way decodes again. */
function decodings(value: string): string[] {
  const out = [value];
  let current = value;
  for (let i = 0; i < 4; i++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      break;
    }
    if (next === current) break;
    out.push(next);
    current = next;
  }
  return out;
}

function formComponent(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1);
}

function sameShape(a: UrlShape, b: UrlShape): boolean {
  return (
    a.host === b.host &&
    a.port === b.port &&
    a.segments === b.segments &&
    a.queryKeys.length === b.queryKeys.length &&
    a.queryKeys.every((k, i) => k === b.queryKeys[i])
  );
}

const utf8 = new TextEncoder();
const JSON_LITERAL = /^(?:true|false|-?(?:0|[1-9]\d*)(?:\.\d+)?)$/;

export function renderCompiled(
  compiled: CompiledAction,
  values: Record<string, unknown>,
  identity: RenderIdentity | null,
): RenderResult {
  // Values that fail their own checks are reported, and the rest still go through the placement
  // checks, so the person sees every problem at once.
  const resolved = resolveValues(compiled, values, identity);
  const { action } = compiled;
  const errors: Issue[] = [...resolved.errors];
  const reported = new Set<string>();
  const fail = (ref: PlaceholderRef, code: Issue['code'], message: string) => {
    const key = `${code}:${refKey(ref)}`;
    if (reported.has(key)) return;
    reported.add(key);
    errors.push(issue(code, valuePath(ref), message));
  };

  /** The value of a placeholder slot, encoded for its placement (null when refused). */
  const fill = (slot: Slot & { kind: 'placeholder' }): string | null => {
    const ref = resolvePlaceholder(slot.name, action.parameters);
    const value = resolved.values.get(refKey(ref));
    if (value === undefined) return null; // already reported
    switch (slot.placement.kind) {
      case 'path':
        if (value === '' || decodings(value).some(hasDotSegment)) {
          fail(
            ref,
            'value_path_segment',
            'This value goes into the URL path, so it cannot be empty, “.” or “..”, nor contain “../”.',
          );
          return null;
        }
        return encodeURIComponent(value);
      case 'query':
        return encodeURIComponent(value);
      case 'header':
        if (!HEADER_VALUE.test(value)) {
          fail(
            ref,
            'value_header',
            'This value goes into a header, which allows only visible ASCII characters, spaces and tabs (no line breaks or accented letters).',
          );
          return null;
        }
        return value;
      case 'json':
        return jsonStringContent(value);
      case 'json_literal':
        // Only number, integer and boolean parameters stand bare (analysis refused the rest), and
        // their canonical text is one JSON number or true/false; checked again, never trusted.
        if (!JSON_LITERAL.test(value)) {
          fail(ref, 'value_type', 'This value cannot stand outside quotes in the JSON body.');
          return null;
        }
        return value;
      case 'form':
        return formComponent(value);
    }
  };

  // URL, keeping what each path segment with a placeholder renders to, to refuse dot-segments that
  // a value forms together with the literal text around it (`.{{x}}` with x = `.`).
  let url = '';
  const segments = new Map<number, PlaceholderRef>();
  for (const slot of compiled.url.slots) {
    if (slot.kind === 'literal') {
      url += slot.text;
      continue;
    }
    url += fill(slot) ?? '';
    if (slot.placement.kind === 'path') {
      segments.set(slot.placement.segment, resolvePlaceholder(slot.name, action.parameters));
    }
  }
  if (segments.size > 0) {
    const afterAuthority = url.replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/, '');
    const pathPart = afterAuthority.split(/[?#]/, 1)[0] ?? '';
    const rendered = pathPart.split('/');
    for (const [index, ref] of segments) {
      const text = rendered[index];
      if (!resolved.values.has(refKey(ref))) continue;
      if (text === undefined || isDotSegment(text)) {
        fail(ref, 'value_path_segment', 'With this value a URL path segment would become “.” or “..”.');
      }
    }
  }

  // fromEntries defines own properties, so even a header named `__proto__` is kept as a header.
  const headers: Record<string, string> = Object.fromEntries(
    compiled.headers.map((header) => [
      header.name,
      header.slots.map((slot) => (slot.kind === 'literal' ? slot.text : (fill(slot) ?? ''))).join(''),
    ]),
  );

  let body: string | null = null;
  if (compiled.body) {
    body = compiled.body.slots
      .map((slot) => (slot.kind === 'literal' ? slot.text : (fill(slot) ?? '')))
      .join('');
    if (utf8.encode(body).length > LIMITS.renderedBody) {
      errors.push(
        issue(
          'body_too_large',
          ['body'],
          `With these values the body would be larger than ${LIMITS.renderedBody} bytes.`,
        ),
      );
    }
    if (
      compiled.body.format === 'json' &&
      !Object.keys(headers).some((n) => n.toLowerCase() === 'content-type')
    ) {
      headers['content-type'] = 'application/json';
    }
  }
  if (errors.length > 0) return { ok: false, errors };

  // The invariant, checked on the result rather than trusted: the URL parser must see the
  // template's host, port, path segment count and query keys.
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return {
      ok: false,
      errors: [issue('value_characters', ['url'], 'These values do not make a valid URL.')],
    };
  }
  if (!sameShape(shapeOf(parsed), compiled.url.shape)) {
    return {
      ok: false,
      errors: [issue('value_path_segment', ['url'], 'These values would change the structure of the URL.')],
    };
  }
  return { ok: true, request: { method: action.method, url: parsed.href, headers, body } };
}
