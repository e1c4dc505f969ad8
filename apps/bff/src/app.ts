import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from 'cors';
import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import type { Config } from './config';
import type { AppDeps } from './deps';
import { errorHandler, notFoundHandler } from './http/errors';
import { invokeFastPath, recordHeaders } from './http/invoke-fast-path';
import { httpLogger } from './http/logger';
import { agentRouter } from './routes/agent';
import { createInvoker, type Invoker } from './routes/agent-invoke';
import { mcpRouter } from './routes/agent-mcp';
import { dashboardRouter } from './routes/dashboard';
import { openApiDocument } from './routes/openapi';
import './http/context';

/** The BFF's request listener: node:http serves it (server.ts), tests drive it with supertest. */
export type App = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The BFF, without listening. The agent invoke's plain case is answered before Express sees the
 * request (http/invoke-fast-path.ts); everything else is the Express app.
 */
export function createApp(deps: AppDeps): App {
  const invoke = createInvoker(deps);
  // One instance of each header middleware: Express runs them, and the lean path answers with
  // the headers they set (recorded once), so both paths send the same headers.
  const headerMiddleware = apiHeaderMiddleware(deps.config);
  const fastInvoke = invokeFastPath({
    invoke,
    logger: deps.logger,
    bodyLimitBytes: deps.config.bodyLimitBytes,
    headers: recordHeaders(headerMiddleware),
  });
  const app = expressApp(deps, invoke, headerMiddleware);
  return (req, res) => {
    if (!fastInvoke(req, res)) app(req, res);
  };
}

/** Security, CORS and caching headers of every answer. */
export function apiHeaderMiddleware(config: Config): RequestHandler[] {
  return [
    helmet(),
    cors({
      origin: config.corsOrigins,
      allowedHeaders: [
        'Authorization',
        'Content-Type',
        'If-Match',
        'X-Request-Id',
        // The MCP server's: the visitor's identity and the protocol's own headers.
        'Aihio-Identity',
        'Mcp-Protocol-Version',
        'Mcp-Session-Id',
      ],
      exposedHeaders: ['ETag', 'X-Request-Id', 'Retry-After'],
      methods: ['GET', 'POST', 'PUT', 'DELETE'],
      maxAge: 600,
    }),
    // API answers are per user and may name secrets' tails: never cached by a browser or proxy.
    noStore,
  ];
}

const noStore: RequestHandler = (req, res, next) => {
  if (/^\/(?:api|agent)(?:\/|$)/.test(req.path ?? req.url)) res.setHeader('Cache-Control', 'no-store');
  next();
};

function expressApp(deps: AppDeps, invoke: Invoker, headerMiddleware: RequestHandler[]): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.set('etag', false);

  app.use(httpLogger(deps.logger));
  // Before the body parser, so that its refusals (bad JSON, too large) carry them too.
  app.use(...headerMiddleware);
  app.use(express.json({ limit: deps.config.bodyLimitBytes, strict: true }));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (req, res) => {
    try {
      await deps.store.ping();
      // A failing retention is reported, not made a reason to take the instance out of service.
      res.json({ status: 'ready', ...(deps.maintenance ? { retention: deps.maintenance.retention } : {}) });
    } catch (error) {
      req.log.warn({ err: error }, 'store not ready');
      res.status(503).json({ error: { code: 'unavailable', message: 'The database is not reachable.' } });
    }
  });

  const openapi = openApiDocument();
  app.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });

  app.use(dashboardRouter(deps));
  // Before the agent router: its catch-all authentication would answer for this path first.
  app.use(mcpRouter(deps, invoke));
  app.use(agentRouter(deps, invoke));

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
