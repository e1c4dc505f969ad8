import ipaddr from 'ipaddr.js';
import type { Cidr } from './address';
import { parseDnsServer } from './dns-lookup';
import {
  describeHostOverrides,
  type HostOverrides,
  type ResolvedHostOverride,
  resolveHostOverrides,
} from './host-overrides';

// The top of the policy side: it imports address.ts (types), dns-lookup.ts and host-overrides.ts,
// and none of them imports it back.

/**
 * What the egress client may reach and how much it may spend doing so. One policy decides both
 * `checkDestination` and `createEgress`, so a destination the editor accepts is one the executor
 * will call. The defaults are production's; anything that reaches further is a widening
 * (`isWidened`), which the BFF refuses in production unless the operator asks for it.
 */
export interface EgressPolicy {
  /** Ports a URL may name. Default `[443]`; tests and operators may add others (a widening). */
  allowedPorts: readonly number[];
  /**
   * CIDRs (`10.1.2.0/24`, `fd00:1::/64`) the operator allows although they are private or
   * reserved: the only way to reach an internal address (a widening). Default none. Host names
   * such as `localhost` stay blocked whatever the allowlist says.
   */
  allowCidrs: readonly string[];
  /**
   * Host names whose connections go to a fixed address and port instead of where DNS points
   * (development: a sandbox on a non-privileged port, reached as `https://sandbox.example.test`).
   * The URL still names port 443 and TLS is still verified for the host name. Each entry admits
   * its own address for its own name only (a loopback sandbox needs no allowlist, and every
   * other name or IP URL that reaches that address stays blocked). A widening. Default none.
   */
  hostOverrides: HostOverrides;
  /**
   * Name servers the resolver asks (`203.0.113.53`, `203.0.113.53:5353`, `[2001:db8::53]:53`),
   * in order. Default none: the system's (resolv.conf). Not a widening: every answer is still
   * checked.
   */
  dnsServers: readonly string[];
  /** The response body is read up to this many bytes. Default 256 KiB. */
  maxResponseBytes: number;
  /** `truncate` (default): cut the body at the cap and flag `truncated`; `fail`: `response_too_large`. */
  onLargeResponse: 'truncate' | 'fail';
  /** A request body larger than this is refused with `request_too_large`. Default 64 KiB. */
  maxRequestBytes: number;
  /** Resolving the host name: A and AAAA queries with one retry, all within this. Default 3 s. */
  lookupTimeoutMs: number;
  /** TCP connect plus TLS handshake. Default 5 s. */
  connectTimeoutMs: number;
  /** From the request being sent to the response headers. Default 8 s. */
  headersTimeoutMs: number;
  /** The whole call, from `request()` to the last body byte; also stops a trickling server. Default 10 s. */
  totalTimeoutMs: number;
  /**
   * Calls in flight in one egress instance, whoever makes them: the hard bound on sockets and
   * buffered bodies. A call beyond it fails at once with `overloaded` (there is no queue). Default 128.
   */
  maxConcurrent: number;
  /**
   * Calls in flight for one concurrency key (the BFF passes the workspace id) while the process
   * is not busy; `fairShareBelowFree` lowers it as the process fills. Default 16.
   */
  maxConcurrentPerKey: number;
  /**
   * Fair share under load, as a fraction of `maxConcurrent` (0 to 1). While at least this fraction
   * of the slots is free, a key may hold up to `maxConcurrentPerKey`; below it, a key holding n
   * calls may start another only while more than n × (fairShareBelowFree × maxConcurrent ÷
   * maxConcurrentPerKey) slots are free: 4 per call held at the defaults (0.5 × 128 ÷ 16). A key
   * with nothing in flight needs one free slot. So keys whose upstreams hang stop growing early
   * and the last slots go to keys that hold few: with the defaults, 8 hanging keys end up holding
   * 88 to 103 slots instead of all 128 (the egress README works through 1, 8, 64 and 200). 0 turns
   * it off (a key keeps its whole bound until the total is reached); above about 0.94 a lone key
   * could no longer reach `maxConcurrentPerKey` (at the other defaults). Default 0.5.
   */
  fairShareBelowFree: number;
}

/** A partial policy: what is left out takes the production default. */
export type EgressPolicyInput = Partial<EgressPolicy>;

/** Production defaults (DESIGN.md "The executor"). */
export const DEFAULT_POLICY: Readonly<EgressPolicy> = Object.freeze({
  allowedPorts: Object.freeze([443]),
  allowCidrs: Object.freeze([]),
  hostOverrides: Object.freeze({}),
  dnsServers: Object.freeze([]),
  maxResponseBytes: 256 * 1024,
  onLargeResponse: 'truncate',
  maxRequestBytes: 64 * 1024,
  lookupTimeoutMs: 3_000,
  connectTimeoutMs: 5_000,
  headersTimeoutMs: 8_000,
  totalTimeoutMs: 10_000,
  maxConcurrent: 128,
  maxConcurrentPerKey: 16,
  fairShareBelowFree: 0.5,
});

/** A policy with defaults filled in, checked, and its CIDRs parsed once. */
export interface ResolvedPolicy extends EgressPolicy {
  readonly allowRanges: readonly Cidr[];
  /** `hostOverrides` checked and keyed by host name; null when there are none. */
  readonly hostOverrideTable: ReadonlyMap<string, ResolvedHostOverride> | null;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new TypeError(`egress policy: ${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

function fraction(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new TypeError(`egress policy: ${name} must be a number from 0 to 1, got ${String(value)}`);
  }
  return value;
}

/**
 * Fill in defaults and check a policy. A malformed policy is a configuration mistake, so it
 * throws a TypeError at start-up rather than failing calls later.
 */
export function resolvePolicy(input: EgressPolicyInput | ResolvedPolicy = {}): ResolvedPolicy {
  if ('allowRanges' in input) return input;

  const merged: EgressPolicy = { ...DEFAULT_POLICY, ...input };
  for (const port of merged.allowedPorts) {
    if (!Number.isInteger(port) || port < 1 || port > 65_535) {
      throw new TypeError(`egress policy: allowedPorts has an invalid port ${String(port)}`);
    }
  }
  const allowRanges = merged.allowCidrs.map((cidr): Cidr => {
    if (!ipaddr.isValidCIDR(cidr)) {
      throw new TypeError(`egress policy: allowCidrs has an invalid CIDR "${cidr}"`);
    }
    return ipaddr.parseCIDR(cidr);
  });
  const hostOverrideTable = resolveHostOverrides(merged.hostOverrides);
  const dnsServers = merged.dnsServers.map((server) => {
    const parsed = typeof server === 'string' ? parseDnsServer(server) : null;
    if (parsed === null) {
      throw new TypeError(
        `egress policy: dnsServers has "${String(server)}", which is not an address with an optional port (203.0.113.53:53, [2001:db8::53]:53)`,
      );
    }
    return parsed;
  });
  if (merged.onLargeResponse !== 'truncate' && merged.onLargeResponse !== 'fail') {
    throw new TypeError('egress policy: onLargeResponse must be "truncate" or "fail"');
  }
  const policy: ResolvedPolicy = Object.freeze({
    ...merged,
    allowedPorts: Object.freeze([...merged.allowedPorts]),
    allowCidrs: Object.freeze([...merged.allowCidrs]),
    hostOverrides: Object.freeze({ ...merged.hostOverrides }),
    dnsServers: Object.freeze(dnsServers),
    maxResponseBytes: positiveInteger('maxResponseBytes', merged.maxResponseBytes),
    maxRequestBytes: positiveInteger('maxRequestBytes', merged.maxRequestBytes),
    lookupTimeoutMs: positiveInteger('lookupTimeoutMs', merged.lookupTimeoutMs),
    connectTimeoutMs: positiveInteger('connectTimeoutMs', merged.connectTimeoutMs),
    headersTimeoutMs: positiveInteger('headersTimeoutMs', merged.headersTimeoutMs),
    totalTimeoutMs: positiveInteger('totalTimeoutMs', merged.totalTimeoutMs),
    maxConcurrent: positiveInteger('maxConcurrent', merged.maxConcurrent),
    maxConcurrentPerKey: positiveInteger('maxConcurrentPerKey', merged.maxConcurrentPerKey),
    fairShareBelowFree: fraction('fairShareBelowFree', merged.fairShareBelowFree),
    allowRanges: Object.freeze(allowRanges),
    hostOverrideTable,
  });
  return policy;
}

/** How a policy reaches further than production's. */
export interface PolicyDescription {
  /** True when the policy allows a port other than 443, has an allowlist or overrides a host name. */
  widened: boolean;
  /** One line per widening, for the refusal message or a start-up log. */
  widenings: string[];
  /** One line summarizing the whole policy, for a start-up log. */
  summary: string;
}

/** Describe a policy for logs and for the BFF's production start-up check. Throws on an invalid policy. */
export function describePolicy(input: EgressPolicyInput = {}): PolicyDescription {
  const policy = resolvePolicy(input);
  const widenings: string[] = [];
  const extraPorts = policy.allowedPorts.filter((port) => port !== 443);
  if (extraPorts.length > 0) widenings.push(`ports other than 443 are allowed: ${extraPorts.join(', ')}`);
  if (policy.allowCidrs.length > 0) {
    widenings.push(`internal addresses are allowlisted: ${policy.allowCidrs.join(', ')}`);
  }
  const overrides = policy.hostOverrideTable === null ? [] : describeHostOverrides(policy.hostOverrideTable);
  if (overrides.length > 0) widenings.push(`host names are mapped: ${overrides.join(', ')}`);
  const summary = [
    `ports ${policy.allowedPorts.join(', ')}`,
    policy.allowCidrs.length > 0 ? `allowlist ${policy.allowCidrs.join(', ')}` : 'no allowlist',
    ...(overrides.length > 0 ? [`host map ${overrides.join(', ')}`] : []),
    `response cap ${policy.maxResponseBytes} bytes (${policy.onLargeResponse})`,
    `request cap ${policy.maxRequestBytes} bytes`,
    `dns ${policy.dnsServers.length > 0 ? policy.dnsServers.join(', ') : 'system servers'}`,
    `timeouts lookup ${policy.lookupTimeoutMs} ms, connect ${policy.connectTimeoutMs} ms, headers ${policy.headersTimeoutMs} ms, total ${policy.totalTimeoutMs} ms`,
    `concurrency ${policy.maxConcurrent} total, ${policy.maxConcurrentPerKey} per key, shared fairly below ${Math.round(policy.fairShareBelowFree * 100)}% free`,
  ].join('; ');
  return { widened: widenings.length > 0, widenings, summary };
}

/**
 * True when the policy lets calls reach more than production's: a port other than 443, an
 * allowlist of internal addresses, or host names mapped to fixed addresses. Limits and timeouts are not widenings. Throws on an invalid policy.
 */
export function isWidened(input: EgressPolicyInput = {}): boolean {
  return describePolicy(input).widened;
}
