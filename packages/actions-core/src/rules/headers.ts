import type { ActionAuth, ActionHeader } from '../action';
import type { Issue } from '../errors';
import { HEADER_TOKEN, HEADER_VALUE, isForbiddenHeader, isMediaType } from '../http';
import { issue } from '../issue';
import type { Slot } from '../slots';
import { parseTemplate } from '../template';
import { analyzeOAuth } from './oauth';

export interface HeaderTemplate {
  name: string;
  slots: Slot[];
}

/** The header a credential of this auth type is sent in, lowercase, or null. */
export function authHeaderName(auth: ActionAuth): string | null {
  // OAuth sends the access token it obtained as a bearer token.
  if (auth.type === 'bearer' || auth.type === 'oauth2_client_credentials') return 'authorization';
  if (auth.type === 'api_key') return auth.headerName.trim().toLowerCase() || null;
  return null;
}

/** Why a header name cannot be used, or null when it can. */
export function headerNameProblem(name: string): string | null {
  if (name === '') return 'Enter a header name.';
  if (name.includes('{{')) return 'Header names are fixed: placeholders can only be in header values.';
  if (!HEADER_TOKEN.test(name)) {
    return 'Use letters, digits and - (no spaces or colons) in a header name, like X-Request-Id.';
  }
  return null;
}

export function analyzeHeaders(
  headers: ActionHeader[],
  auth: ActionAuth,
): { issues: Issue[]; templates: HeaderTemplate[] | null } {
  const issues: Issue[] = [];
  const templates: HeaderTemplate[] = [];
  const seen = new Set<string>();
  const credentialHeader = authHeaderName(auth);

  headers.forEach((header, index) => {
    const namePath = ['headers', index, 'name'];
    const valuePath = ['headers', index, 'value'];
    const lower = header.name.toLowerCase();
    const nameProblem = headerNameProblem(header.name);
    if (nameProblem) {
      issues.push(issue('header_name_invalid', namePath, nameProblem));
    } else if (isForbiddenHeader(header.name)) {
      issues.push(
        issue(
          'header_forbidden',
          namePath,
          `${header.name} is set by the HTTP client and cannot be set by an action.`,
        ),
      );
    } else if (lower === credentialHeader) {
      issues.push(
        issue(
          'header_auth_conflict',
          namePath,
          `The authentication setting already sends ${header.name}: remove this header or choose “No authentication”.`,
        ),
      );
    } else if (seen.has(lower)) {
      issues.push(
        issue('header_duplicate', namePath, `${header.name} is already set above: keep one of them.`),
      );
    }
    seen.add(lower);

    const parsed = parseTemplate(header.value);
    if (!parsed.ok) {
      for (const e of parsed.errors) {
        issues.push(issue('template_syntax', valuePath, `At character ${e.start + 1}: ${e.message}`));
      }
    }
    const slots: Slot[] = parsed.pieces.map((p) =>
      p.kind === 'literal'
        ? { kind: 'literal', text: p.text }
        : { ...p, placement: { kind: 'header', index } },
    );
    if (parsed.pieces.some((p) => p.kind === 'literal' && !HEADER_VALUE.test(p.text))) {
      issues.push(
        issue(
          'header_value_invalid',
          valuePath,
          'Header values can only contain visible ASCII characters, spaces and tabs (no line breaks or accented letters).',
        ),
      );
    }
    // The body's format follows Content-Type, so a value must not be able to change it.
    if (lower === 'content-type' && slots.some((s) => s.kind === 'placeholder')) {
      issues.push(
        issue('header_value_invalid', valuePath, 'Content-Type must be fixed: remove the placeholder.'),
      );
    } else if (lower === 'content-type' && !isMediaType(header.value)) {
      issues.push(
        issue(
          'header_value_invalid',
          valuePath,
          'Content-Type must be one media type, like application/json or application/json; charset=utf-8.',
        ),
      );
    }
    templates.push({ name: header.name, slots });
  });
  return { issues, templates: issues.length === 0 ? templates : null };
}

/** Issues of the API-key header name of `auth` (the header the credential is sent in). */
export function analyzeAuth(auth: ActionAuth): Issue[] {
  if (auth.type === 'oauth2_client_credentials') return analyzeOAuth(auth);
  if (auth.type !== 'api_key') return [];
  const path = ['auth', 'headerName'];
  const problem = headerNameProblem(auth.headerName);
  if (problem) return [issue('auth_header_name_invalid', path, problem)];
  // The body is read by its Content-Type: the credential must not decide that.
  if (auth.headerName.toLowerCase() === 'content-type') {
    return [
      issue(
        'auth_header_name_invalid',
        path,
        'Content-Type says how the body is read and cannot carry the API key: choose another header, like X-Api-Key.',
      ),
    ];
  }
  if (isForbiddenHeader(auth.headerName)) {
    return [
      issue(
        'auth_header_name_invalid',
        path,
        `${auth.headerName} is set by the HTTP client: choose another header for the API key, like X-Api-Key.`,
      ),
    ];
  }
  return [];
}
