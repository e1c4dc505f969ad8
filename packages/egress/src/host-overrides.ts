import ipaddr from 'ipaddr.js';
import { judgeAddressText } from './address';
import { EgressError } from './errors';
import type { ResolvedPolicy } from './policy';

/**
 * Where connections to one host name go instead of where DNS would send them: a fixed address
 * and, unlike a hosts file, a port. The URL keeps naming the host on port 443 and TLS keeps
 * verifying the certificate for that host name; only the socket's destination changes.
 */
export interface HostOverride {
  /** An IP address (IPv6 without brackets). It must still pass the policy, like any DNS answer. */
  address: string;
  /** The port to dial. Default 443. Not subject to `allowedPorts`: the URL still names 443. */
  port?: number;
}

/** Host name (lower case, as the URL parser gives it) → where its connections go. */
export type HostOverrides = Readonly<Record<string, HostOverride>>;

/** A checked override, as the connector and `checkDestination` use it. */
export interface ResolvedHostOverride {
  address: string;
  port: number;
}

// A DNS name of letters, digits and hyphens with at least one dot: what a URL's host is after the
// WHATWG parser (lower case, IDNs as xn--).
const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const HOST_NAME = new RegExp(`^(?=.{1,253}$)${LABEL}(?:\\.${LABEL})+$`, 'u');

function checkName(name: string): string {
  const hostname = name.toLowerCase().replace(/\.$/u, '');
  if (!HOST_NAME.test(hostname) || ipaddr.isValid(hostname)) {
    throw new TypeError(
      `egress policy: hostOverrides has "${name}", which is not a host name with a dot (an IP address cannot be overridden)`,
    );
  }
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) {
    throw new TypeError(`egress policy: hostOverrides cannot map "${name}": local names stay blocked`);
  }
  return hostname;
}

/**
 * Check the overrides of a policy: host names, IP addresses and ports. A mistake throws a
 * TypeError at start-up. The addresses are judged against the policy on every connection (as DNS
 * answers are), so an override can never reach what the policy blocks. Null when there are none,
 * so a connection without overrides pays one comparison.
 */
export function resolveHostOverrides(
  input: HostOverrides | undefined,
): ReadonlyMap<string, ResolvedHostOverride> | null {
  const entries = Object.entries(input ?? {});
  if (entries.length === 0) return null;
  const table = new Map<string, ResolvedHostOverride>();
  for (const [name, override] of entries) {
    const hostname = checkName(name);
    const address = typeof override?.address === 'string' ? override.address.replace(/^\[|\]$/gu, '') : '';
    if (!ipaddr.isValid(address)) {
      throw new TypeError(
        `egress policy: hostOverrides maps "${name}" to "${String(override?.address)}", which is not an IP address`,
      );
    }
    const port = override.port ?? 443;
    if (!Number.isInteger(port) || port < 1 || port > 65_535) {
      throw new TypeError(`egress policy: hostOverrides maps "${name}" to an invalid port ${String(port)}`);
    }
    table.set(hostname, { address, port });
  }
  return table;
}

/**
 * The address an overridden host name may be dialled at, judged against the policy exactly as a
 * DNS answer would be. Throws a `blocked_destination` EgressError when the policy blocks it.
 */
export function checkOverride(
  hostname: string,
  override: ResolvedHostOverride,
  policy: ResolvedPolicy,
): { address: string; family: 4 | 6 } {
  // resolveHostOverrides accepted only valid addresses, so the verdict is never null.
  const verdict = judgeAddressText(override.address, policy)!;
  if (!verdict.allowed) {
    throw new EgressError(
      'blocked_destination',
      `the address ${hostname} is mapped to ${verdict.address}, ${verdict.reason}, which actions may not call`,
    );
  }
  return { address: verdict.address, family: verdict.family };
}

/** One line per override, for a start-up log: `name → address:port`. */
export function describeHostOverrides(table: ReadonlyMap<string, ResolvedHostOverride>): string[] {
  return [...table].map(
    ([hostname, { address, port }]) =>
      `${hostname} → ${address.includes(':') ? `[${address}]` : address}:${port}`,
  );
}
