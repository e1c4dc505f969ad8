import { type AddressAllowance, judgeAddressText } from './address';
import { type LookupAddress, type LookupFunction, NOT_FOUND_CODES } from './dns-lookup';
import { EgressError } from './errors';

// Imports address.ts, dns-lookup.ts and errors.ts; the connector and checkDestination use it.

/** What `resolveChecked` reads of a policy. */
export interface ResolveBounds extends AddressAllowance {
  readonly lookupTimeoutMs: number;
}

/**
 * The one message for a host name that cannot be called because of what DNS says of it: that
 * the name does not exist, has no address, or resolves to a private, loopback, metadata or other
 * blocked address all read the same, so the test panel and the invoke codes cannot be used to map
 * an internal DNS one name at a time. The error's `detail` (the operator's log) says which.
 */
export function notPublic(hostname: string, detail: string): EgressError {
  return new EgressError(
    'dns_failed',
    `the host name ${hostname} cannot be called: it does not resolve to a public internet address`,
    `${hostname}: ${detail}`,
  );
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function lookupFailure(hostname: string, error: unknown): EgressError {
  const code = codeOf(error);
  if (code !== undefined && NOT_FOUND_CODES.has(code)) return notPublic(hostname, `no such name (${code})`);
  // Not an answer about the name (a server failed or did not answer): worth another try later.
  return new EgressError(
    'dns_failed',
    `the host name ${hostname} could not be resolved; try again later`,
    `${hostname}: the lookup failed (${code ?? 'no code'})`,
  );
}

/**
 * Look a host name up once, within the policy's lookup timeout, and check every answer: one
 * blocked answer blocks the name (an attacker controls which answer a client would pick).
 * Returns the checked addresses, the only ones the connection may go to.
 */
export async function resolveChecked(
  hostname: string,
  lookup: LookupFunction,
  bounds: ResolveBounds,
): Promise<LookupAddress[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new EgressError(
            'dns_failed',
            `the host name ${hostname} could not be resolved within ${bounds.lookupTimeoutMs} ms; try again later`,
            `${hostname}: no answer within ${bounds.lookupTimeoutMs} ms`,
          ),
        ),
      bounds.lookupTimeoutMs,
    );
  });
  let answers: LookupAddress[];
  try {
    answers = await Promise.race([lookup(hostname), timeout]);
  } catch (error) {
    throw error instanceof EgressError ? error : lookupFailure(hostname, error);
  } finally {
    clearTimeout(timer);
  }
  if (!Array.isArray(answers) || answers.length === 0) throw notPublic(hostname, 'no addresses');
  const checked: LookupAddress[] = [];
  for (const answer of answers) {
    const verdict = typeof answer?.address === 'string' ? judgeAddressText(answer.address, bounds) : null;
    if (verdict === null) {
      throw notPublic(hostname, `an answer that is not an address (${JSON.stringify(answer?.address)})`);
    }
    if (!verdict.allowed) throw notPublic(hostname, `resolves to ${verdict.address}, ${verdict.reason}`);
    checked.push({ address: verdict.address, family: verdict.family });
  }
  return checked;
}

const ignore = () => {};

/**
 * Lookups in flight, by host name, until each truly ends: a call whose lookup is still running
 * when the call itself is answered (its lookup deadline passed, the caller cancelled it) keeps its
 * slot until then (egress.ts), so a workspace cannot start lookups faster than they end.
 */
export class LookupsInFlight {
  readonly #lookup: LookupFunction;
  readonly #pending = new Map<string, Promise<void>>();

  constructor(lookup: LookupFunction) {
    this.#lookup = lookup;
  }

  /** Look `hostname` up with the wrapped function, counting it until it settles. */
  readonly lookup: LookupFunction = (hostname) => {
    // A lookup function that throws at once is a failed lookup like any other.
    const answer = new Promise<LookupAddress[]>((resolve) => resolve(this.#lookup(hostname)));
    const ended = answer.then(ignore, ignore);
    const before = this.#pending.get(hostname);
    const all = before === undefined ? ended : Promise.all([before, ended]).then(ignore);
    this.#pending.set(hostname, all);
    all.then(() => {
      if (this.#pending.get(hostname) === all) this.#pending.delete(hostname);
    });
    return answer;
  };

  /** Settles when every lookup of `hostname` running now has ended; undefined when none is running. */
  ended(hostname: string): Promise<void> | undefined {
    return this.#pending.get(hostname);
  }
}
