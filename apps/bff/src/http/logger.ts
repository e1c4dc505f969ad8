import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type DestinationStream, type Logger, pino } from 'pino';
import { pinoHttp } from 'pino-http';

/**
 * Structured logs. Secrets are redacted by path as a second line of defence: the first is that the
 * code never logs bodies, and request serialization keeps only method, url and id.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'secret',
  'credential',
  'token',
  'password',
  'key',
  '*.secret',
  '*.credential',
  '*.token',
  '*.password',
  '*.key',
  '*.masterKey',
];

export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { service: 'aihio-bff' },
    },
    options.destination ?? bufferedStdout(),
  );
}

/** Lines wait at most this long in the buffer of `bufferedStdout`. */
export const LOG_FLUSH_INTERVAL_MS = 250;

/**
 * Standard output, written in blocks. A synchronous write per line was a tenth of a millisecond
 * of every agent invoke in the benchmark's profile (each line a system call on a busy server);
 * here lines gather up to 8 KiB or LOG_FLUSH_INTERVAL_MS, whichever comes first. pino writes
 * what is left synchronously when the process exits (an uncaught error included) and start.ts
 * flushes on a graceful stop; only a SIGKILL can lose the last quarter second.
 */
function bufferedStdout(): DestinationStream {
  const stream = pino.destination({ dest: 1, sync: false, minLength: 8192 });
  const timer = setInterval(() => {
    try {
      stream.flush();
    } catch {
      // Destroyed at exit: nothing left to write.
    }
  }, LOG_FLUSH_INTERVAL_MS);
  timer.unref();
  return stream;
}

/**
 * A logger for access lines of the agent invoke path, writing to the same stream as `logger` at
 * its level. It has no redaction: redaction's wildcard paths were a fifth of a log line's cost,
 * and these lines are built from a fixed set of fields (id, method, url, status, time, error
 * code) that never hold a secret.
 */
export function accessLogger(logger: Logger): Logger {
  return pino(
    { level: logger.level, base: { service: 'aihio-bff' } },
    (logger as unknown as Record<symbol, DestinationStream>)[pino.symbols.streamSym],
  );
}

const INCOMING_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request's id, also sent back as X-Request-Id: the caller's when sane, else a new one. */
export function requestIdFor(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && INCOMING_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/** Request logging with an id on every line: the caller's X-Request-Id when sane, else a new one. */
export function httpLogger(logger: Logger) {
  return pinoHttp({
    logger,
    quietReqLogger: true,
    genReqId: requestIdFor,
    serializers: {
      // Only what an operator needs to follow a request; never headers or bodies.
      req: (req: { id: unknown; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        url: req.url,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    // The error code of a failed request, set by the error handler: enough to follow a problem, no details.
    customSuccessObject(_req, res, value: Record<string, unknown>) {
      const code = (res as ServerResponse & { locals?: { errorCode?: string } }).locals?.errorCode;
      return code ? { ...value, errorCode: code } : value;
    },
    customLogLevel(_req, res, error) {
      if (error || res.statusCode >= 500) return 'error';
      if (res.statusCode >= 400) return 'warn';
      return 'info';
    },
    autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
  });
}
