import type { Issue } from '../errors';
import { issue } from '../issue';
import type { Slot, UrlShape } from '../slots';
import { parseTemplate } from '../template';

export interface UrlTemplate {
  slots: Slot[];
  /** Host, port, path segment count and query keys every rendering must keep. */
  shape: UrlShape;
}

const PATH = ['url'];
/** Scheme and authority, up to the first delimiter that starts the path, query or fragment. */
const SCHEME_AND_AUTHORITY = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]+/;
/**
 * URL parsers drop tabs and line breaks and read a backslash as `/`, so such characters in the
 * literal text would make our reading of the template differ from the parser's.
 */
const UNSAFE_LITERAL = /[\s\\\p{Cc}]/u;
/**
 * A `%` that does not start a `%XX` escape: the value after it would supply the hex digits, so
 * `%` + `00` becomes a NUL and `%` + `0a` a line break once the server decodes the URL.
 */
export const INCOMPLETE_ESCAPE = /%(?![0-9A-Fa-f]{2})/;

export function shapeOf(url: URL): UrlShape {
  return {
    host: url.hostname,
    port: url.port,
    segments: url.pathname.split('/').length,
    queryKeys: [...url.searchParams.keys()],
  };
}

/**
 * The URL rules of DESIGN.md: https only, no userinfo or fragment, port 443, a fixed host, and
 * placeholders only in path segments and query values. Returns the template when there is no issue.
 */
export function analyzeUrl(url: string): { issues: Issue[]; template: UrlTemplate | null } {
  const issues: Issue[] = [];
  const parsed = parseTemplate(url);
  if (!parsed.ok) {
    for (const e of parsed.errors) {
      issues.push(issue('template_syntax', PATH, `At character ${e.start + 1}: ${e.message}`));
    }
  }
  const pieces = parsed.pieces;
  const hasPlaceholder = pieces.some((p) => p.kind === 'placeholder');

  if (!/^https:\/\//i.test(url)) {
    issues.push(issue('url_not_https', PATH, 'The URL must start with https://.'));
  }
  if (pieces.some((p) => p.kind === 'literal' && INCOMPLETE_ESCAPE.test(p.text))) {
    issues.push(
      issue('url_invalid', PATH, 'A % in the URL must start an escape like %20; write a literal % as %25.'),
    );
  }
  if (pieces.some((p) => p.kind === 'literal' && UNSAFE_LITERAL.test(p.text))) {
    issues.push(
      issue(
        'url_invalid',
        PATH,
        'The URL cannot contain spaces, line breaks or backslashes. Write a space as %20.',
      ),
    );
  }

  // Placeholders must come after the host: the first piece holds the whole scheme and authority
  // and the delimiter that ends them.
  const first = pieces[0]?.kind === 'literal' ? pieces[0].text : '';
  const authority = SCHEME_AND_AUTHORITY.exec(first);
  const authorityEnd = authority ? authority[0].length : 0;
  if (hasPlaceholder && (!authority || authorityEnd === first.length)) {
    issues.push(
      issue(
        'url_placeholder_position',
        PATH,
        'The host must be fixed: placeholders can only be in the path (after the first /) or in query values.',
      ),
    );
  }

  const slots: Slot[] = [];
  let state: 'path' | 'query-key' | 'query-value' | 'fragment' = 'path';
  let segment = 0;
  let fragment = false;
  pieces.forEach((piece, index) => {
    if (piece.kind === 'placeholder') {
      if (state === 'path') {
        slots.push({ ...piece, placement: { kind: 'path', segment } });
      } else if (state === 'query-value') {
        slots.push({ ...piece, placement: { kind: 'query' } });
      } else if (state === 'query-key') {
        issues.push(
          issue(
            'url_placeholder_position',
            PATH,
            `{{${piece.name}}} is in a query key: placeholders can only be in query values (?key={{${piece.name}}}).`,
          ),
        );
      }
      return;
    }
    slots.push({ kind: 'literal', text: piece.text });
    const from = index === 0 ? authorityEnd : 0;
    for (const c of piece.text.slice(from)) {
      if (c === '#') {
        state = 'fragment';
        fragment = true;
      } else if (state === 'path') {
        if (c === '/') segment += 1;
        else if (c === '?') state = 'query-key';
      } else if (state === 'query-key' || state === 'query-value') {
        if (c === '&') state = 'query-key';
        else if (c === '=' && state === 'query-key') state = 'query-value';
      }
    }
  });
  if (fragment) {
    issues.push(issue('url_fragment', PATH, 'Remove the # part: fragments are never sent to the server.'));
  }

  // The skeleton, each placeholder standing in as a letter, must be a plain https URL. A second
  // skeleton with another letter must have the same host and port: URL parsers skip extra slashes
  // (`https:///{{x}}` has the host x), so the text alone cannot be trusted to show the host.
  const skeleton = parseSkeleton(pieces, 'x');
  if (!skeleton) {
    issues.push(issue('url_invalid', PATH, 'This is not a valid URL, like https://api.example.com/orders.'));
  }
  const other = parseSkeleton(pieces, 'y');
  if (
    skeleton &&
    other &&
    (skeleton.host !== other.host ||
      skeleton.username !== other.username ||
      skeleton.password !== other.password) &&
    !issues.some((i) => i.code === 'url_placeholder_position')
  ) {
    issues.push(
      issue(
        'url_placeholder_position',
        PATH,
        'The host must be fixed: placeholders can only be in the path (after the first /) or in query values.',
      ),
    );
  }
  if (skeleton) {
    if (skeleton.protocol !== 'https:' && issues.every((i) => i.code !== 'url_not_https')) {
      issues.push(issue('url_not_https', PATH, 'The URL must start with https://.'));
    }
    if (skeleton.username || skeleton.password) {
      issues.push(
        issue(
          'url_userinfo',
          PATH,
          'Remove the user name and password from the URL; use the authentication setting instead.',
        ),
      );
    }
    if (skeleton.port !== '') {
      issues.push(
        issue('url_port', PATH, `Calls go to port 443 only: remove “:${skeleton.port}” from the URL.`),
      );
    }
    if (skeleton.hostname === '') {
      issues.push(issue('url_invalid', PATH, 'The URL needs a host name, like https://api.example.com.'));
    }
  }
  if (issues.length > 0 || !skeleton) return { issues, template: null };
  return { issues, template: { slots, shape: shapeOf(skeleton) } };
}

function parseSkeleton(pieces: ReturnType<typeof parseTemplate>['pieces'], stand: string): URL | null {
  try {
    return new URL(pieces.map((p) => (p.kind === 'literal' ? p.text : stand)).join(''));
  } catch {
    return null;
  }
}
