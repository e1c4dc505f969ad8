import ipaddr from 'ipaddr.js';
import { judgeAddressText } from './address';

// Imports only address.ts; the policy imports this module to check its `hostOverrides`.

/**
 * Where connections to one host name go instead of where DNS would send them: a fixed address
 * and, unlike a hosts file, a port. The URL keeps naming the host on port 443 and TLS keeps
 * verifying the certificate for that host name; only the socket's destination changes.
 */
export interface HostOverride {
  /**
   * An IP address (IPv6 with or without brackets). The entry admits this address for this name
   * only, loopback and private ones included (that is its purpose: a sandbox on this machine or
   * the LAN); every other name and every IP URL is still judged by the policy. Never admitted:
   * the unspecified address, multicast, broadcast and the cloud metadata addresses.
   */
  address: string;
  /** The port to dial. Default 443. Not subject to `allowedPorts`: the URL still names 443. */
  port?: number;
}

/** Host name (lower case, as the URL parser gives it) → where its connections go. */
export type HostOverrides = Readonly<Record<string, HostOverride>>;

/** A checked override, as the connector and `checkDestination` use it. */
export interface ResolvedHostOverride {
  /** The canonical address (an IPv4-mapped IPv6 one as IPv4), the one the socket must reach. */
  address: string;
  family: 4 | 6;
  port: number;
}

// A DNS name of letters, digits and hyphens with at least one dot: what a URL's host is after the
// WHATWG parser (lower case, IDNs as xn--).
const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const HOST_NAME = new RegExp(`^(?=.{1,253}$)${LABEL}(?:\\.${LABEL})+$`, 'u');

// Addresses no entry may admit: no single machine's (unspecified, multicast, broadcast), or a
// cloud's metadata and host services, which hand out credentials to whoever asks from inside.
const NEVER_MAPPED = [
  '0.0.0.0/8',
  '169.254.169.254/32',
  '168.63.129.16/32',
  '224.0.0.0/4',
  '255.255.255.255/32',
  '::/128',
  'fd00:ec2::254/128',
  'ff00::/8',
].map((cidr) => ipaddr.parseCIDR(cidr));

const NO_ALLOWLIST = { allowRanges: [] } as const;

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

function checkAddress(name: string, text: unknown): { address: string; family: 4 | 6 } {
  const bare = typeof text === 'string' ? text.replace(/^\[|\]$/gu, '') : '';
  // Judged without an allowlist only to get the canonical form the socket will report.
  const verdict = judgeAddressText(bare, NO_ALLOWLIST);
  if (verdict === null) {
    throw new TypeError(
      `egress policy: hostOverrides maps "${name}" to "${String(text)}", which is not an IP address`,
    );
  }
  const canonical = ipaddr.parse(verdict.address);
  if (NEVER_MAPPED.some((range) => canonical.kind() === range[0].kind() && canonical.match(range))) {
    throw new TypeError(
      `egress policy: hostOverrides cannot map "${name}" to ${verdict.address}: unspecified, multicast, broadcast and cloud metadata addresses are never reachable`,
    );
  }
  return { address: verdict.address, family: canonical.kind() === 'ipv4' ? 4 : 6 };
}

/**
 * Check the overrides of a policy: host names, IP addresses and ports. A mistake throws a
 * TypeError at start-up. Null when there are none, so a connection without overrides pays one
 * comparison.
 */
export function resolveHostOverrides(
  input: HostOverrides | undefined,
): ReadonlyMap<string, ResolvedHostOverride> | null {
  const entries = Object.entries(input ?? {});
  if (entries.length === 0) return null;
  const table = new Map<string, ResolvedHostOverride>();
  for (const [name, override] of entries) {
    const hostname = checkName(name);
    const { address, family } = checkAddress(name, override?.address);
    const port = override.port ?? 443;
    if (!Number.isInteger(port) || port < 1 || port > 65_535) {
      throw new TypeError(`egress policy: hostOverrides maps "${name}" to an invalid port ${String(port)}`);
    }
    table.set(hostname, { address, family, port });
  }
  return table;
}

/** One line per override, for a start-up log: `name → address:port`. */
export function describeHostOverrides(table: ReadonlyMap<string, ResolvedHostOverride>): string[] {
  return [...table].map(
    ([hostname, { address, port }]) =>
      `${hostname} → ${address.includes(':') ? `[${address}]` : address}:${port}`,
  );
}
