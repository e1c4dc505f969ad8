import { EgressError } from './errors';

// Node's certificate verification codes (X509_V_ERR_* without the prefix) and TLS errors.
const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_CHAIN_TOO_LONG',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'PATH_LENGTH_EXCEEDED',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_TLS_HANDSHAKE_TIMEOUT',
  'EPROTO',
]);

const TLS_EXPLANATIONS: Record<string, string> = {
  CERT_HAS_EXPIRED: 'its certificate has expired',
  CERT_NOT_YET_VALID: 'its certificate is not valid yet',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'its certificate chain ends in an untrusted self-signed certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its certificate is not issued by a trusted authority',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its certificate is not issued by a trusted authority',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its certificate is for a different host name',
  EPROTO: 'the secure (TLS) handshake failed',
};

const CONNECT_EXPLANATIONS: Record<string, string> = {
  ECONNREFUSED: 'refused the connection',
  ECONNRESET: 'closed the connection unexpectedly',
  EPIPE: 'closed the connection unexpectedly',
  UND_ERR_SOCKET: 'closed the connection before the response was complete',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'closed the connection before the response was complete',
  EHOSTUNREACH: 'is unreachable from our servers',
  ENETUNREACH: 'is unreachable from our servers',
  ETIMEDOUT: 'did not accept the connection in time',
};

/** What the call was doing when it failed, for the message. */
export interface FailureContext {
  hostname: string;
  totalTimeoutMs: number;
  /** Set when the call was ended by the caller's signal or by the total deadline. */
  ended: 'aborted' | 'timeout' | null;
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Turn whatever an undici call threw into a coded error. Only codes are inspected; raw error
 * messages are not passed on (they may name internals), and nothing of the request is included.
 */
export function toEgressError(error: unknown, context: FailureContext): EgressError {
  const { hostname } = context;
  if (context.ended === 'aborted') return new EgressError('aborted', `the call to ${hostname} was cancelled`);
  if (context.ended === 'timeout') {
    return new EgressError(
      'timeout',
      `${hostname} did not finish answering within ${context.totalTimeoutMs / 1000} seconds`,
    );
  }
  if (error instanceof EgressError) return error;

  const code = codeOf(error);
  if (code === undefined) {
    return new EgressError('connect_failed', `the call to ${hostname} failed`);
  }
  if (TLS_CODES.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) {
    const why = TLS_EXPLANATIONS[code] ?? 'its certificate could not be verified';
    return new EgressError('tls_failed', `the secure connection to ${hostname} was refused: ${why}`);
  }
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new EgressError('timeout', `${hostname} did not accept the connection in time`);
    case 'UND_ERR_HEADERS_TIMEOUT':
      return new EgressError('timeout', `${hostname} accepted the call but did not answer in time`);
    case 'UND_ERR_BODY_TIMEOUT':
      return new EgressError('timeout', `${hostname} stopped sending its answer before it was complete`);
    case 'UND_ERR_HEADERS_OVERFLOW':
      return new EgressError('response_too_large', `${hostname} answered with headers larger than allowed`);
    case 'UND_ERR_ABORTED':
    case 'ABORT_ERR':
      return new EgressError('aborted', `the call to ${hostname} was cancelled`);
    default: {
      const why = CONNECT_EXPLANATIONS[code] ?? 'could not be reached';
      return new EgressError('connect_failed', `${hostname} ${why}`);
    }
  }
}
