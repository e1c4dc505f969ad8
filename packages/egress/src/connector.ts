import type { ConnectionOptions } from 'node:tls';
import { buildConnector } from 'undici';
import { judgeAddressText } from './address';
import { checkHost } from './destination-url';
import type { LookupAddress, LookupFunction } from './dns-lookup';
import { EgressError } from './errors';
import type { ResolvedPolicy } from './policy';
import { resolveChecked } from './resolve';

// Errors that say "this address cannot be reached", after which another checked address of the
// same name is worth a try. TLS errors are not among them: the next address would be the same
// server.
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const MAX_ATTEMPTS = 3;

export interface GuardedConnectorOptions {
  policy: ResolvedPolicy;
  lookup: LookupFunction;
  /** Trusted CA certificates instead of Node's bundled roots (tests, private PKI). */
  ca?: ConnectionOptions['ca'];
}

/**
 * The only way the egress Agent opens a socket. For every new connection it checks the origin's
 * host again, resolves a name once (within the lookup timeout), checks every answer, and dials
 * a checked address itself: the socket never performs a lookup of its own, so a second DNS
 * answer (rebinding) can never be used. When a checked address cannot be reached, the next checked
 * address of the same answer is tried (at most three). TLS keeps the host name for SNI and the
 * certificate check. Once connected, the socket's remote address is checked again before undici
 * may use it. A host name in the policy's `hostOverrides` is dialled at its mapped address and
 * port instead of being looked up, with the same SNI and certificate checks; that address is
 * admitted for that name only (it was checked when the policy was resolved).
 */
export function createGuardedConnector({
  policy,
  lookup,
  ca,
}: GuardedConnectorOptions): buildConnector.connector {
  const dial = buildConnector({
    timeout: policy.connectTimeoutMs,
    rejectUnauthorized: true,
    ...(ca === undefined ? {} : { ca }),
  });

  const overrides = policy.hostOverrideTable;

  return (options, callback) => {
    if (options.protocol !== 'https:') {
      callback(new EgressError('invalid_url', 'only https URLs may be called'), null);
      return;
    }
    const port = options.port === '' ? 443 : Number(options.port);
    const host = checkHost(options.hostname, port, policy);
    if (host instanceof EgressError) {
      callback(host, null);
      return;
    }
    // A host override (development) replaces the lookup and the port dialled; the URL's port
    // passed checkHost above. Its address is admitted for this name whatever range it is in.
    const override = overrides === null || host.literal !== null ? undefined : overrides.get(host.hostname);
    const addresses: Promise<LookupAddress[]> =
      override !== undefined
        ? Promise.resolve([override])
        : host.literal === null
          ? resolveChecked(host.hostname, lookup, policy)
          : Promise.resolve([host.literal]);
    const dialPort = override === undefined ? options.port : String(override.port);

    addresses.then(
      (checked) => {
        // Several checked answers (say an AAAA and an A record): when one cannot be reached,
        // try the next, so a host with an IPv6 address this machine cannot route to still works.
        const targets = checked.slice(0, MAX_ATTEMPTS);
        const attempt = (index: number) => {
          const target = targets[index]!;
          dial(
            {
              ...options,
              hostname: target.address,
              port: dialPort,
              // SNI and the certificate check use the name; an IP literal has no SNI and its
              // certificate is checked against the address.
              servername: host.literal === null ? host.hostname : '',
            },
            (error, socket) => {
              if (error !== null) {
                if (index + 1 < targets.length && UNREACHABLE.has((error as { code?: string }).code ?? '')) {
                  attempt(index + 1);
                } else {
                  callback(error, null);
                }
                return;
              }
              const remote = socket.remoteAddress;
              const verdict = remote === undefined ? null : judgeAddressText(remote, policy);
              // The socket must have reached exactly the checked address, and that address must
              // pass the policy, unless it is the host override's own (admitted for this name).
              if (
                verdict === null ||
                verdict.address !== target.address ||
                (!verdict.allowed && override === undefined)
              ) {
                socket.destroy();
                callback(
                  new EgressError(
                    'blocked_destination',
                    `the connection to ${host.hostname} reached ${remote ?? 'an unknown address'}, not the checked address ${target.address}`,
                  ),
                  null,
                );
                return;
              }
              callback(null, socket);
            },
          );
        };
        // resolveChecked never returns an empty list.
        attempt(0);
      },
      (error: unknown) => {
        callback(error instanceof Error ? error : new EgressError('dns_failed', 'the lookup failed'), null);
      },
    );
  };
}
