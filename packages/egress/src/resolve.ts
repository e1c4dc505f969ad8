import { lookup as dnsLookup } from 'node:dns/promises';
import { judgeAddressText } from './address';
import { EgressError } from './errors';
import type { ResolvedPolicy } from './policy';

/** One answer of a name lookup. */
export interface LookupAddress {
  address: string;
  family: 4 | 6;
}

/**
 * Resolve a host name to its addresses. The default is the system resolver (`getaddrinfo`, so
 * `/etc/hosts` applies); tests pass a function mapping their host names to 127.0.0.1.
 */
export type LookupFunction = (hostname: string) => Promise<LookupAddress[]>;

/** The system resolver, every answer in the order the resolver gives them. */
export const systemLookup: LookupFunction = async (hostname) => {
  const answers = await dnsLookup(hostname, { all: true, order: 'verbatim' });
  return answers.map((answer) => ({ address: answer.address, family: answer.family === 6 ? 6 : 4 }));
};

const NOT_FOUND_CODES = new Set(['ENOTFOUND', 'ENODATA', 'EAI_NONAME', 'EAI_NODATA']);

function lookupFailure(hostname: string, error: unknown): EgressError {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && NOT_FOUND_CODES.has(code)) {
    return new EgressError('dns_failed', `the host name ${hostname} does not exist`);
  }
  return new EgressError('dns_failed', `the host name ${hostname} could not be resolved; try again later`);
}

/**
 * Look a host name up once, within the policy's lookup timeout, and check every answer: one
 * blocked answer blocks the name (an attacker controls which answer a client would pick).
 * Returns the checked addresses, the only ones the connection may go to.
 */
export async function resolveChecked(
  hostname: string,
  lookup: LookupFunction,
  policy: ResolvedPolicy,
): Promise<LookupAddress[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new EgressError(
            'dns_failed',
            `the host name ${hostname} could not be resolved within ${policy.lookupTimeoutMs} ms`,
          ),
        ),
      policy.lookupTimeoutMs,
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
  if (!Array.isArray(answers) || answers.length === 0) {
    throw new EgressError('dns_failed', `the host name ${hostname} has no addresses`);
  }
  const checked: LookupAddress[] = [];
  for (const answer of answers) {
    const verdict = typeof answer?.address === 'string' ? judgeAddressText(answer.address, policy) : null;
    if (verdict === null) {
      throw new EgressError(
        'dns_failed',
        `the host name ${hostname} resolved to something that is not an address`,
      );
    }
    if (!verdict.allowed) {
      throw new EgressError(
        'blocked_destination',
        `the address ${hostname} resolves to ${verdict.address}, ${verdict.reason}, which actions may not call`,
      );
    }
    checked.push({ address: verdict.address, family: verdict.family });
  }
  return checked;
}
