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

/** The media type of a Content-Type value, lowercased, without parameters. */
export function mediaType(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

export const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';
