import { judgeAddressText } from './address';
import { EgressError } from './errors';
import type { ResolvedPolicy } from './policy';

/** A URL that passed every check that needs no DNS. */
export interface ParsedDestination {
  /** The parsed URL (the parser's normalized form is what gets requested). */
  url: URL;
  /** The host name without a trailing dot, or the IP address without brackets. */
  hostname: string;
  port: number;
  /** Set when the host is an IP literal: the checked address to dial, no lookup needed. */
  literal: { address: string; family: 4 | 6 } | null;
}

// Parsers disagree on where a URL with a backslash, a control character or whitespace goes
// (WHATWG turns "\" into "/" and drops tabs and newlines; others do not), so such text is refused
// outright rather than normalized.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE_URL_TEXT = /[\\\s\u0000-\u001f\u007f-\u009f]/u;

const BLOCKED_NAMES = new Set(['localhost', 'metadata.google.internal']);

function blockedName(hostname: string): string | null {
  if (BLOCKED_NAMES.has(hostname) || hostname.endsWith('.localhost')) {
    return `the host ${hostname} is a local or cloud metadata name, which actions may not call`;
  }
  if (!hostname.includes('.')) {
    return `the host ${hostname} has no domain (no dot), so it can only be a local name, which actions may not call`;
  }
  return null;
}

/** True when an "@" appears between the URL's "//" and the first "/", "?" or "#" after it. */
function atInAuthority(raw: string): boolean {
  const start = raw.indexOf('//') + 2;
  const at = raw.indexOf('@', start);
  if (at === -1) return false;
  for (let i = start; i < at; i += 1) {
    const c = raw.charCodeAt(i);
    if (c === 0x2f || c === 0x3f || c === 0x23) return false; // '/', '?', '#': the authority ended
  }
  return true;
}

/**
 * Check a URL's text without resolving it: https only, no userinfo, an allowed port, a host that
 * is neither a blocked name nor a blocked IP literal. Odd IPv4 spellings (`0x7f.1`,
 * `2130706433`) are normalized by the WHATWG parser into dotted-quad literals and judged as such.
 */
export function parseDestinationUrl(raw: string, policy: ResolvedPolicy): ParsedDestination | EgressError {
  if (typeof raw !== 'string' || raw.length === 0) return new EgressError('invalid_url', 'the URL is empty');
  if (UNSAFE_URL_TEXT.test(raw)) {
    return new EgressError(
      'invalid_url',
      'the URL contains a backslash, a space or a control character; write it without them',
    );
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return new EgressError('invalid_url', 'the URL could not be understood; check its spelling');
  }
  if (url.protocol !== 'https:') {
    return new EgressError('invalid_url', `only https URLs may be called, not ${url.protocol.slice(0, -1)}`);
  }
  // An "@" anywhere in the authority (even an empty user name, which the parser drops) is refused:
  // "https://trusted.example@evil.example" reads as one host and goes to another.
  if (url.username !== '' || url.password !== '' || atInAuthority(raw)) {
    return new EgressError('invalid_url', 'the URL contains a user name or password, which is not allowed');
  }
  const port = url.port === '' ? 443 : Number(url.port);
  const host = checkHost(url.hostname, port, policy);
  if (host instanceof EgressError) return host;
  return { url, hostname: host.hostname, literal: host.literal, port };
}

/**
 * Check a host (as the URL parser gives it: IPv6 in brackets, maybe a trailing dot) and a port
 * without resolving anything. The connector runs it again on every connection, so nothing that
 * reaches the socket skips it.
 */
export function checkHost(
  rawHost: string,
  port: number,
  policy: ResolvedPolicy,
): Pick<ParsedDestination, 'hostname' | 'literal'> | EgressError {
  const hostname = rawHost.startsWith('[')
    ? rawHost.slice(1, -1)
    : rawHost.endsWith('.')
      ? rawHost.replace(/\.+$/u, '')
      : rawHost;
  if (hostname === '') return new EgressError('invalid_url', 'the URL has no host');
  if (!policy.allowedPorts.includes(port)) {
    return new EgressError(
      'blocked_destination',
      `port ${port} is not allowed; actions may only call port ${policy.allowedPorts.join(' or ')}`,
    );
  }
  const verdict = judgeAddressText(hostname, policy);
  if (verdict !== null) {
    if (!verdict.allowed) {
      return new EgressError(
        'blocked_destination',
        `the address ${verdict.address} is ${verdict.reason}, which actions may not call`,
      );
    }
    return { hostname, literal: { address: verdict.address, family: verdict.family } };
  }
  const nameProblem = blockedName(hostname);
  if (nameProblem !== null) return new EgressError('blocked_destination', nameProblem);
  return { hostname, literal: null };
}
