/** HTTP grammar the action rules rely on (RFC 9110 / RFC 7230), in one place. */

/** `token` of RFC 9110 §5.6.2: the characters a header name may have. */
export const HEADER_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Headers an action may not set: framing and connection management belong to the HTTP client, and a
 * value for them could smuggle a second request or reroute the call (`Host`). Lowercase.
 */
export const FORBIDDEN_HEADERS: ReadonlySet<string> = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'te',
  'trailer',
  'upgrade',
  'expect',
  'http2-settings',
]);

export function isForbiddenHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return FORBIDDEN_HEADERS.has(lower) || lower.startsWith('proxy-');
}

/** Visible ASCII, space and tab: everything else (CR, LF, NUL, other controls, non-ASCII) is refused. */
export const HEADER_VALUE = /^[\t\x20-\x7e]*$/;

const TOKEN_CHARS = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]+";
const QUOTED_STRING = '"(?:[\\t \\x21\\x23-\\x5b\\x5d-\\x7e]|\\\\[\\t \\x21-\\x7e])*"';
const MEDIA_TYPE_PATTERN = new RegExp(
  `^${TOKEN_CHARS}/${TOKEN_CHARS}(?:[ \\t]*;[ \\t]*${TOKEN_CHARS}=(?:${TOKEN_CHARS}|${QUOTED_STRING}))*(?:[ \\t]*;)?$`,
);

/**
 * One media type with optional parameters (RFC 9110 §8.3.1). Parsers disagree on anything else
 * (PHP cuts at a comma or a space), so a Content-Type like `application/x-www-form-urlencoded,
 * charset=utf-8` could be read as a form by the server while we treat the body as JSON. The
 * value is trimmed first, which keeps the pattern linear (no two adjacent runs of whitespace).
 */
export function isMediaType(contentType: string): boolean {
  return MEDIA_TYPE_PATTERN.test(contentType.trim());
}

/** The media type of a Content-Type value, lowercased, without parameters. */
export function mediaType(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

export const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';
