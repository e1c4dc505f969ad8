import { createEgress, type Egress, type EgressOptions } from '@aihio/egress';
import type { Logger } from 'pino';
import type { EgressConfig } from '../config';

/**
 * What the executor needs of `@aihio/egress`. Injected through createApp's deps, so tests pass
 * the real client with a loopback policy and lookup, and main.ts the production one.
 */
export type EgressClient = Pick<Egress, 'request' | 'close'>;

/**
 * The BFF's egress client, from its configuration: the policy (`AIHIO_EGRESS_*`,
 * `AIHIO_DEV_HOST_MAP`, the name servers of `AIHIO_EGRESS_DNS_SERVERS`), and the operator's log
 * for what a refusal tells no one else: a dashboard user or an agent learns only that a host name
 * cannot be called, the log says whether it does not exist or which internal address it
 * resolves to (never a header, body or secret: egress builds the detail from the host name and
 * the addresses only).
 */
export function createBffEgress(
  config: EgressConfig,
  logger: Logger,
  options: Pick<EgressOptions, 'ca' | 'lookup'> = {},
): Egress {
  return createEgress({
    ...options,
    policy: config,
    onDetail: ({ key, hostname, code, detail }) =>
      logger.info({ egress: { workspaceId: key, hostname, code, detail } }, 'egress refused a call'),
  });
}
