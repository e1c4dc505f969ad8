import {
  type ConfirmationChallenge,
  ERROR_CODES,
  type ErrorCode,
  type ErrorEnvelope,
  type Issue,
} from '@aihio/actions-core';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { KeyringError } from '../crypto/types';
import { StoreError } from '../store/types';

/**
 * The one typed error of the HTTP layer: a stable code from core's ERROR_CODES table, which also
 * gives the status. Handlers throw it (Express 5 forwards rejections) and the final middleware
 * turns it into `{ error: { code, message, details } }`. The message is written for a user and
 * must never contain a secret or an internal detail.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly details: ApiErrorDetails | undefined;
  readonly headers: Record<string, string>;

  constructor(
    readonly code: ErrorCode,
    options: {
      message?: string;
      issues?: Issue[];
      /** With `confirmation_required`: what to ask the visitor, and the token. */
      confirmation?: ConfirmationChallenge;
      headers?: Record<string, string>;
    } = {},
  ) {
    super(options.message ?? ERROR_CODES[code].message);
    this.status = ERROR_CODES[code].status;
    const details: ApiErrorDetails = {
      ...(options.issues ? { issues: options.issues } : {}),
      ...(options.confirmation ? { confirmation: options.confirmation } : {}),
    };
    this.details = Object.keys(details).length > 0 ? details : undefined;
    this.headers = options.headers ?? {};
  }
}

export interface ApiErrorDetails {
  issues?: Issue[];
  confirmation?: ConfirmationChallenge;
}

export function envelope(
  code: ErrorCode,
  message?: string,
  details?: ApiErrorDetails | Issue[],
): ErrorEnvelope {
  const shaped = Array.isArray(details) ? { issues: details } : details;
  return {
    error: {
      code,
      message: message ?? ERROR_CODES[code].message,
      ...(shaped ? { details: shaped } : {}),
    },
  };
}

/** body-parser's errors carry a `type`; map the ones a client causes to our codes. */
function bodyParserCode(error: unknown): ErrorCode | null {
  if (typeof error !== 'object' || error === null || !('type' in error)) return null;
  switch ((error as { type: unknown }).type) {
    case 'entity.too.large':
      return 'payload_too_large';
    case 'entity.parse.failed':
    case 'encoding.unsupported':
    case 'charset.unsupported':
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return 'invalid_request';
    default:
      return null;
  }
}

export function toApiError(error: unknown): ApiError | null {
  if (error instanceof ApiError) return error;
  if (error instanceof StoreError) {
    // `unavailable` and the rest share names with the API table on purpose. A quota's message
    // names its limit (written for the user by the store, never holding a secret).
    return error.code === 'quota_exceeded'
      ? new ApiError(error.code, { message: error.message })
      : new ApiError(error.code);
  }
  const parserCode = bodyParserCode(error);
  if (parserCode === 'payload_too_large') return new ApiError(parserCode);
  if (parserCode === 'invalid_request') {
    return new ApiError(parserCode, { message: 'The request body is not valid JSON.' });
  }
  // Other client errors of body-parser and the router (a body that does not inflate under its
  // Content-Encoding, a path parameter that does not percent-decode) are http-errors with a 4xx
  // status and `expose`, but no `type`: the client's fault, not a 500.
  if (isClientHttpError(error)) {
    return new ApiError('invalid_request', { message: 'The request could not be read.' });
  }
  return null;
}

function isClientHttpError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { status, expose } = error as { status?: unknown; expose?: unknown };
  // The router marks an undecodable parameter by setting `status` 400 on the URIError.
  const marked = expose === true || error instanceof URIError;
  return marked && typeof status === 'number' && status >= 400 && status < 500;
}

/** What the log line of an unexpected error carries. */
export function unhandledErrorFields(error: unknown): Record<string, unknown> {
  // A KeyringError means a stored secret did not open: tampering or a lost key. Log the code only.
  return error instanceof KeyringError
    ? { keyringError: error.code }
    : { err: error instanceof Error ? error : undefined };
}

/** Unknown routes answer with the envelope too, so clients parse one shape. */
export const notFoundHandler: RequestHandler = (_req, _res, next) => {
  next(new ApiError('not_found'));
};

export const errorHandler: ErrorRequestHandler = (error: unknown, req, res, _next) => {
  const apiError = toApiError(error);
  res.locals.errorCode = apiError?.code ?? 'internal_error';
  if (res.headersSent) {
    // Too late for an envelope (a stream broke mid-answer): end the response, keep the log.
    req.log?.error({ errorCode: res.locals.errorCode }, 'error after the response started');
    res.end();
    return;
  }
  if (apiError) {
    if (apiError.status >= 500) req.log?.warn({ code: apiError.code }, 'request failed');
    for (const [name, value] of Object.entries(apiError.headers)) res.setHeader(name, value);
    res.status(apiError.status).json(envelope(apiError.code, apiError.message, apiError.details));
    return;
  }
  req.log?.error(unhandledErrorFields(error), 'unhandled error');
  res.status(500).json(envelope('internal_error'));
};
