import cors from 'cors';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { Config } from './config';
import type { Keyring } from './crypto/types';
import type { EgressClient } from './executor/egress';
import { errorHandler, notFoundHandler } from './http/errors';
import { httpLogger } from './http/logger';
import { agentRouter } from './routes/agent';
import { dashboardRouter } from './routes/dashboard';
import { openApiDocument } from './routes/openapi';
import type { Store } from './store/types';
import './http/context';

export interface AppDeps {
  config: Config;
  store: Store;
  keyring: Keyring;
  egress: EgressClient;
  logger: Logger;
}

/** The BFF as an Express app, without listening: main.ts serves it, tests drive it directly. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.set('etag', false);

  app.use(httpLogger(deps.logger));
  app.use(helmet());
  app.use(
    cors({
      origin: deps.config.corsOrigins,
      allowedHeaders: ['Authorization', 'Content-Type', 'If-Match', 'X-Request-Id'],
      exposedHeaders: ['ETag', 'X-Request-Id', 'Retry-After'],
      methods: ['GET', 'POST', 'PUT', 'DELETE'],
      maxAge: 600,
    }),
  );
  app.use(express.json({ limit: deps.config.bodyLimitBytes, strict: true }));
  // API answers are per user and may name secrets' tails: never cached by a browser or proxy.
  app.use(['/api', '/agent'], (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (req, res) => {
    try {
      await deps.store.ping();
      res.json({ status: 'ready' });
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
  app.use(agentRouter(deps));

  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
