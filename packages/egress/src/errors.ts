/**
 * The outcomes of an outbound call that are not a response. The codes are the egress codes of
 * DESIGN.md and match keys of the core error table (`ERROR_CODES` in actions-core), which the BFF
 * maps to HTTP statuses; egress cannot import core, so the list is repeated here.
 */
export const EGRESS_ERROR_CODES = [
  'blocked_destination',
  'invalid_url',
  'dns_failed',
  'connect_failed',
  'tls_failed',
  'timeout',
  'response_too_large',
  'request_too_large',
  'aborted',
  'overloaded',
] as const;

/** One of `EGRESS_ERROR_CODES`. */
export type EgressErrorCode = (typeof EGRESS_ERROR_CODES)[number];

/**
 * A refusal or failure with a stable code and a message written for a chatbot owner. Used inside
 * the package (a connector can only fail by passing an Error to undici); public functions turn it
 * into a `{ ok: false }` / `{ allowed: false }` value. Messages never contain request headers or
 * bodies: they are built only from the URL's host, port and the addresses involved.
 */
export class EgressError extends Error {
  override readonly name = 'EgressError';
  readonly code: EgressErrorCode;
  /**
   * For the operator's log only, never for the caller: what the message deliberately leaves out
   * (for a host name, whether it does not exist or resolves to which internal address).
   */
  readonly detail: string | undefined;

  constructor(code: EgressErrorCode, message: string, detail?: string) {
    super(message);
    this.code = code;
    this.detail = detail;
  }
}

export function isEgressError(value: unknown): value is EgressError {
  return value instanceof EgressError;
}
