import type { IncomingMessage, ServerResponse } from 'node:http';
import { API_ROUTES, type ErrorEnvelope } from '@aihio/actions-core';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { Invoker } from '../routes/agent-invoke';
import { ApiError, envelope, toApiError, unhandledErrorFields } from './errors';
import { accessLogger, requestIdFor } from './logger';

/**
 * The agent invoke is the one route called at volume, machine to machine, and the invoke
 * benchmark's profile showed Express's middleware stack (router layers, request logging with a
 * child logger per request, helmet's dozen setHeader calls, body-parser) costing more than the
 * invoke itself. This handler, called before Express sees a request, answers the plain case of
 * that route on node:http directly with the same invoker, headers, envelope and log line as the
 * Express route:
 *
 * - `POST` to exactly the route's path, parameters without percent-escapes;
 * - no `Origin` header (a browser call goes through CORS on the Express route);
 * - `Content-Type: application/json` (utf-8 or no charset), no `Content-Encoding` (not even
 *   `identity`), and a
 *   `Content-Length` within the body limit (over it: 413 at once, the body unread).
 *
 * Anything else falls through to Express, whose route gives it the same treatment at the
 * ordinary cost; a test checks the two answer alike.
 */

const INVOKE_PATH = new RegExp(
  `^${API_ROUTES.agentInvoke
    .replace(':chatbotId', '([A-Za-z0-9_.~-]+)')
    .replace(':identifier', '([A-Za-z0-9_.~-]+)')}/?(?:\\?.*)?$`,
);
const JSON_TYPE = /^application\/json\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/**
 * The headers a chain of header-only middleware (helmet, cors, Cache-Control) sets on a POST to
 * the agent API without an Origin: the same for every such response, so recorded once.
 */
export function recordHeaders(middleware: readonly RequestHandler[]): Record<string, string> {
  const headers: Record<string, string> = {};
  const req = { method: 'POST', url: API_ROUTES.agentInvoke, path: API_ROUTES.agentInvoke, headers: {} };
  const res = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    getHeader: (name: string) => headers[name],
    removeHeader(name: string) {
      delete headers[name];
    },
    // cors ends a preflight itself; a POST never gets there.
    end() {},
  };
  for (const handler of middleware) {
    let passed = false;
    handler(req as unknown as Request, res as unknown as Response, () => {
      passed = true;
    });
    if (!passed) throw new Error('recordHeaders: a middleware did not pass the request on');
  }
  return headers;
}

export function invokeFastPath(options: {
  invoke: Invoker;
  logger: Logger;
  bodyLimitBytes: number;
  /** Every response's headers besides Content-Type and Content-Length (`recordHeaders`). */
  headers: Record<string, string>;
}): (req: IncomingMessage, res: ServerResponse) => boolean {
  const { invoke, bodyLimitBytes, logger } = options;
  const access = accessLogger(logger);
  const staticHeaders: Record<string, string> = {
    ...options.headers,
    'Content-Type': 'application/json; charset=utf-8',
  };

  function send(
    req: IncomingMessage,
    res: ServerResponse,
    id: string,
    started: number,
    status: number,
    payload: unknown,
    extra?: { headers?: Record<string, string>; errorCode?: string },
  ): void {
    const text = JSON.stringify(payload);
    if (!res.headersSent && !res.destroyed) {
      res.writeHead(status, {
        ...staticHeaders,
        ...extra?.headers,
        'X-Request-Id': id,
        'Content-Length': String(Buffer.byteLength(text)),
      });
      res.end(text);
    }
    // The line pino-http writes on the Express routes, with the same fields and levels.
    const line = {
      req: { id, method: req.method, url: req.url },
      res: { statusCode: status },
      responseTime: Math.round(performance.now() - started),
      ...(extra?.errorCode ? { errorCode: extra.errorCode } : {}),
    };
    if (status >= 500) access.error(line, 'request errored');
    else if (status >= 400) access.warn(line, 'request completed');
    else access.info(line, 'request completed');
  }

  function sendError(
    req: IncomingMessage,
    res: ServerResponse,
    id: string,
    started: number,
    error: unknown,
  ): void {
    const apiError = toApiError(error);
    if (!apiError) {
      logger.error({ req: { id }, ...unhandledErrorFields(error) }, 'unhandled error');
      send(req, res, id, started, 500, envelope('internal_error'), { errorCode: 'internal_error' });
      return;
    }
    const body: ErrorEnvelope = envelope(apiError.code, apiError.message, apiError.details);
    send(req, res, id, started, apiError.status, body, {
      headers: apiError.headers,
      errorCode: apiError.code,
    });
  }

  /** Answers the request and returns true, or returns false and leaves it to Express untouched. */
  return (req, res) => {
    if (req.method !== 'POST' || req.headers.origin !== undefined) return false;
    const match = INVOKE_PATH.exec(req.url ?? '');
    const type = req.headers['content-type'];
    const encoding = req.headers['content-encoding'];
    const lengthHeader = req.headers['content-length'];
    if (
      !match ||
      type === undefined ||
      !JSON_TYPE.test(type) ||
      encoding !== undefined ||
      lengthHeader === undefined
    ) {
      return false;
    }
    const started = performance.now();
    const id = requestIdFor(req, res);
    const length = Number(lengthHeader);
    if (length > bodyLimitBytes) {
      // Answer without reading a body we will not take, and end the connection after it.
      res.setHeader('Connection', 'close');
      sendError(req, res, id, started, new ApiError('payload_too_large'));
      return true;
    }

    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('error', () => {
      // The client went away mid-body: nothing to answer.
    });
    req.once('end', () => {
      let body: unknown;
      const raw = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
      // As body-parser's strict mode: empty is `{}`, anything but an object or array is refused.
      const first = raw.trimStart()[0];
      if (first === undefined) body = {};
      else if (first !== '{' && first !== '[') body = undefined;
      else {
        try {
          body = JSON.parse(raw);
        } catch {
          body = undefined;
        }
      }
      if (body === undefined) {
        sendError(
          req,
          res,
          id,
          started,
          new ApiError('invalid_request', { message: 'The request body is not valid JSON.' }),
        );
        return;
      }

      const abort = new AbortController();
      res.once('close', () => {
        if (!res.writableFinished) abort.abort();
      });
      invoke({
        authorization: req.headers.authorization,
        chatbotId: match[1]!,
        identifier: match[2]!,
        body,
        signal: abort.signal,
      }).then(
        (result) => send(req, res, id, started, 200, result),
        (error: unknown) => sendError(req, res, id, started, error),
      );
    });
    return true;
  };
}
