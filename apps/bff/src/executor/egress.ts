import type { Egress } from '@aihio/egress';

/**
 * What the executor needs of `@aihio/egress`. Injected through createApp's deps, so tests pass
 * the real client with a loopback policy and lookup, and main.ts the production one.
 */
export type EgressClient = Pick<Egress, 'request' | 'close'>;
