export type { AddressAllowance, AddressVerdict, BlockReason, Cidr } from './address';
export { judgeAddressText } from './address';
export type { CheckDestinationOptions, DestinationCheck } from './check-destination';
export { checkDestination } from './check-destination';
export type { DnsLookup, DnsLookupOptions, LookupAddress, LookupFunction } from './dns-lookup';
export { createDnsLookup, parseDnsServer } from './dns-lookup';
export type {
  Egress,
  EgressDetail,
  EgressFailure,
  EgressMethod,
  EgressOptions,
  EgressRequest,
  EgressRequestOptions,
  EgressResponse,
  EgressResult,
} from './egress';
export { createEgress, EGRESS_METHODS } from './egress';
export type { EgressErrorCode } from './errors';
export { EGRESS_ERROR_CODES } from './errors';
export type { HostOverride, HostOverrides } from './host-overrides';
export type { EgressPolicy, EgressPolicyInput, PolicyDescription, ResolvedPolicy } from './policy';
export { DEFAULT_POLICY, describePolicy, isWidened, resolvePolicy } from './policy';
