import { parseDestinationUrl } from './destination-url';
import { EgressError, type EgressErrorCode } from './errors';
import { checkOverride } from './host-overrides';
import { type EgressPolicyInput, resolvePolicy } from './policy';
import { type LookupAddress, type LookupFunction, resolveChecked, systemLookup } from './resolve';

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
      /** Why, written for a chatbot owner. */
      reason: string;
    };

/**
 * Options of `checkDestination`: the same `lookup` and `policy` the egress client is given (the
 * policy's `hostOverrides` included, so the verdict names the address and port egress would dial).
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
    // The connector's order: a host override replaces the lookup and the port.
    const override = policy.hostOverrideTable?.get(hostname);
    if (override !== undefined) {
      const address = checkOverride(hostname, override, policy);
      return { allowed: true, url: normalized.href, addresses: [address], port: override.port };
    }
    const addresses = await resolveChecked(hostname, options.lookup ?? systemLookup, policy);
    return { allowed: true, url: normalized.href, addresses, port };
  } catch (error) {
    if (error instanceof EgressError) return { allowed: false, code: error.code, reason: error.message };
    throw error;
  }
}
