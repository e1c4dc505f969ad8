import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';

// Imports nothing of the package: resolve.ts and egress.ts use it, the policy checks server
// addresses with `parseDnsServer`.

/** One answer of a name lookup. */
export interface LookupAddress {
  address: string;
  family: 4 | 6;
}

/**
 * Resolve a host name to its addresses. Rejects with an error whose `code` says why (`ENOTFOUND`,
 * `ENODATA`, `ETIMEOUT`, `ESERVFAIL`, …). The default is `createDnsLookup`; tests pass a function
 * mapping their host names to loopback addresses.
 */
export type LookupFunction = (hostname: string) => Promise<LookupAddress[]>;

/** The default lookup, with a way to stop what it has in flight. */
export interface DnsLookup extends LookupFunction {
  /** Ends every query in flight (they reject with `ECANCELLED`): for `close()`. */
  cancel(): void;
}

/** Options of `createDnsLookup`. */
export interface DnsLookupOptions {
  /** Name servers (`203.0.113.53`, `203.0.113.53:5353`, `[2001:db8::53]:53`); empty: the system's (resolv.conf). */
  servers?: readonly string[];
  /** The budget of one lookup, both queries and their retry included. */
  timeoutMs: number;
  /** How long "no such name" and failed lookups are remembered. Default 5 s. */
  negativeCacheMs?: number;
}

/** Codes with which a lookup says the name has no address (as opposed to: could not find out). */
export const NOT_FOUND_CODES: ReadonlySet<string> = new Set([
  'ENOTFOUND',
  'ENODATA',
  'EAI_NONAME',
  'EAI_NODATA',
]);

// Two tries per query (one retry for a lost UDP packet). c-ares waits between one and two times
// its timeout for the first try and doubles it for the second, with jitter: measured on Node 20's
// c-ares 1.34, a silent server ends a query after 3 to 4 timeouts. A fifth of the budget keeps the
// real end of a query inside the lookup's deadline, so the slot counted for it (egress.ts) is
// given back close to when the caller was answered.
const TRIES = 2;
const TIMEOUT_SHARE = 5;
const NEGATIVE_CACHE_MS = 5_000;
// Bounded so that a flood of distinct names cannot grow it without end; the oldest entries go first.
const NEGATIVE_CACHE_ENTRIES = 4_096;

const SERVER = /^(?:\[([0-9a-f:.]+)\]|([0-9.]+))(?::(\d{1,5}))?$/iu;

/**
 * Check one name server address as `setServers` takes it: an IPv4 address, or an IPv6 address
 * (in brackets when a port follows), optionally with a port. Returns it as given (brackets
 * normalized) or null when it is not one.
 */
export function parseDnsServer(text: string): string | null {
  const bare = text.trim();
  if (isIP(bare) === 6) return `[${bare}]`;
  const match = SERVER.exec(bare);
  if (match === null) return null;
  const address = match[1] ?? match[2] ?? '';
  const family = isIP(address);
  if (family === 0 || (match[1] !== undefined && family !== 6) || (match[2] !== undefined && family !== 4)) {
    return null;
  }
  const port = match[3] === undefined ? null : Number(match[3]);
  if (port !== null && (port < 1 || port > 65_535)) return null;
  const host = family === 6 ? `[${address}]` : address;
  return port === null ? host : `${host}:${port}`;
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'EUNKNOWN';
}

function lookupError(code: string, hostname: string): Error {
  return Object.assign(new Error(`${code} ${hostname}`), { code });
}

/**
 * The egress's own resolver: c-ares (`dns.promises.Resolver`), not `dns.lookup`. `dns.lookup` is
 * getaddrinfo on libuv's four shared threads, and a name whose server never answers holds one
 * for the system resolver's whole timeout (about 10 s) whatever our deadline says: a handful of
 * such lookups from one workspace left every other workspace's lookups waiting in the thread
 * queue until they failed. c-ares sends the queries from the event loop and ends each at its own
 * timeout, so a silent zone costs a timer and a socket entry, never a shared thread.
 *
 * A and AAAA are asked in parallel and their answers joined (IPv4 first); a lookup fails only
 * when both fail: with `ENOTFOUND` when both say the name has no address, else with the first
 * other error (`ETIMEOUT`, `ESERVFAIL`, …). Concurrent lookups of one name share one pair of
 * queries. A failed lookup is remembered for a few seconds, so repeating a dead or silent name
 * costs no query; answers are not cached (every new connection asks again, as with
 * getaddrinfo, and each answer is checked anyway). `/etc/hosts` is not read, and CNAMEs are
 * followed by the name server.
 */
export function createDnsLookup(options: DnsLookupOptions): DnsLookup {
  const resolver = new Resolver({
    timeout: Math.max(50, Math.floor(options.timeoutMs / TIMEOUT_SHARE)),
    tries: TRIES,
  });
  if (options.servers !== undefined && options.servers.length > 0) resolver.setServers([...options.servers]);
  const negativeMs = options.negativeCacheMs ?? NEGATIVE_CACHE_MS;
  const failed = new Map<string, { code: string; until: number }>();
  const inFlight = new Map<string, Promise<LookupAddress[]>>();

  const remember = (hostname: string, code: string) => {
    if (negativeMs <= 0) return;
    failed.delete(hostname);
    if (failed.size >= NEGATIVE_CACHE_ENTRIES) {
      const oldest = failed.keys().next();
      if (!oldest.done) failed.delete(oldest.value);
    }
    failed.set(hostname, { code, until: performance.now() + negativeMs });
  };

  const query = async (hostname: string): Promise<LookupAddress[]> => {
    const [v4, v6] = await Promise.allSettled([resolver.resolve4(hostname), resolver.resolve6(hostname)]);
    const addresses: LookupAddress[] = [];
    if (v4.status === 'fulfilled') for (const address of v4.value) addresses.push({ address, family: 4 });
    if (v6.status === 'fulfilled') for (const address of v6.value) addresses.push({ address, family: 6 });
    if (addresses.length > 0) return addresses;
    const codes = [v4, v6].map((result) =>
      result.status === 'rejected' ? codeOf(result.reason) : 'ENODATA',
    );
    const code = codes.find((c) => !NOT_FOUND_CODES.has(c)) ?? 'ENOTFOUND';
    // A cancelled query (close) says nothing about the name.
    if (code !== 'ECANCELLED') remember(hostname, code);
    throw lookupError(code, hostname);
  };

  const lookup = (hostname: string): Promise<LookupAddress[]> => {
    const known = failed.get(hostname);
    if (known !== undefined) {
      if (known.until > performance.now()) return Promise.reject(lookupError(known.code, hostname));
      failed.delete(hostname);
    }
    const running = inFlight.get(hostname);
    if (running !== undefined) return running;
    const started = query(hostname);
    inFlight.set(hostname, started);
    const done = () => inFlight.delete(hostname);
    started.then(done, done);
    return started;
  };

  return Object.assign(lookup, { cancel: () => resolver.cancel() });
}
