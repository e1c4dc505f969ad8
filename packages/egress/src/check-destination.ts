import { parseDestinationUrl } from './destination-url';
import { createDnsLookup, type LookupAddress, type LookupFunction } from './dns-lookup';
import { EgressError, type EgressErrorCode } from './errors';
import { type EgressPolicyInput, resolvePolicy } from './policy';
import { resolveChecked } from './resolve';

/** The verdict on a destination: where a call would go, or why it may not. */
export type DestinationCheck =
  | {
      allowed: true;
      /** The URL as the parser normalized it (what would be requested). */
      url: string;
      /** The checked addresses the connection may go to (the literal itself for an IP URL). */
      addresses: LookupAddress[];
      /** The port that would be dialled: the URL's, or a host override's. */
      port: number;
    }
  | {
      allowed: false;
      /** `invalid_url`, `blocked_destination` or `dns_failed`. */
      code: EgressErrorCode;
      /** Why, written for a chatbot owner. For a host name DNS rules out, the same whatever DNS said. */
      reason: string;
      /** For the operator's log only: what `reason` leaves out (the address a name resolved to). */
      detail?: string;
    };

/**
 * Options of `checkDestination`: the same `lookup` and `policy` the egress client is given (the
 * policy's `hostOverrides` included, so the verdict names the address and port egress would dial).
 * Without `lookup`, a resolver like egress's (the policy's `dnsServers`) is made for the one call.
 */
export interface CheckDestinationOptions {
  lookup?: LookupFunction;
  policy?: EgressPolicyInput;
}

/**
 * Decide whether a URL may be called, as `createEgress` with the same policy would: the URL's
 * text, its port, its host name and every address it resolves to. Resolves the name once; never
 * connects. The editor and the test panel use it to explain a refusal before any call.
 */
export async function checkDestination(
  url: string,
  options: CheckDestinationOptions = {},
): Promise<DestinationCheck> {
  const policy = resolvePolicy(options.policy);
  const parsed = parseDestinationUrl(url, policy);
  if (parsed instanceof EgressError) return { allowed: false, code: parsed.code, reason: parsed.message };
  const { url: normalized, hostname, port, literal } = parsed;
  if (literal !== null) return { allowed: true, url: normalized.href, addresses: [literal], port };
  try {
    // The connector's order: a host override replaces the lookup and the port, and admits its address.
    const override = policy.hostOverrideTable?.get(hostname);
    if (override !== undefined) {
      const { address, family } = override;
      return { allowed: true, url: normalized.href, addresses: [{ address, family }], port: override.port };
    }
    const lookup =
      options.lookup ?? createDnsLookup({ servers: policy.dnsServers, timeoutMs: policy.lookupTimeoutMs });
    const addresses = await resolveChecked(hostname, lookup, policy);
    return { allowed: true, url: normalized.href, addresses, port };
  } catch (error) {
    if (!(error instanceof EgressError)) throw error;
    return {
      allowed: false,
      code: error.code,
      reason: error.message,
      ...(error.detail === undefined ? {} : { detail: error.detail }),
    };
  }
}
