import { randomInt } from 'node:crypto';
import { once } from 'node:events';
import type { Server } from 'node:net';

/**
 * Where the test upstreams listen, and how the BFF under test reaches them without root.
 *
 * Actions may only call port 443, and binding 443 needs root. So an upstream takes a free port
 * of a loopback address, and the BFF's egress maps the test host names there with its host
 * overrides (`AIHIO_DEV_HOST_MAP`, allowed outside production): the URL keeps port 443 and TLS
 * is still verified for the name, exactly as for a real host.
 *
 * The address is a random 127.x.y.z with x ≥ 1, never 127.0.0.1: the suites allowlist only the
 * upstream's address, and the attack suites prove that 127.0.0.1, in each of its spellings, is
 * still refused next to it. A random one also keeps parallel suites apart (all of 127/8 is
 * loopback on Linux).
 */

export interface Listening {
  /** The 127.x.y.z address. */
  address: string;
  /** The port the system picked. */
  port: number;
}

export async function listenOnLoopback(server: Server): Promise<Listening> {
  const address = `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
  server.listen(0, address);
  await once(server, 'listening');
  const bound = server.address();
  if (bound === null || typeof bound === 'string') throw new Error('the test upstream has no TCP address');
  return { address: bound.address, port: bound.port };
}

/** `AIHIO_DEV_HOST_MAP` sending each of `hostnames` to the listening upstream. */
export function devHostMap(hostnames: readonly string[], target: Listening): string {
  return hostnames.map((hostname) => `${hostname}=${target.address}:${target.port}`).join(',');
}
