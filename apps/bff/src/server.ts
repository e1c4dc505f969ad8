import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { App } from './app';

export interface RunningServer {
  server: Server;
  /** `http://host:port` actually bound (port 0 picks a free one). */
  url: string;
  /**
   * Graceful stop: refuse new connections, let requests in flight finish (idle keep-alive
   * connections are closed at once), and after `timeoutMs` cut whatever is left.
   */
  close(timeoutMs: number): Promise<void>;
}

export async function listen(
  app: App,
  options: { port: number; host: string; logger: Logger },
): Promise<RunningServer> {
  const server = createServer(app).listen(options.port, options.host);
  await once(server, 'listening');
  // Keep-alive longer than typical load balancers' idle timeout, so they close first.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;

  // Responses in flight: when closing, they end their connection instead of keeping it alive.
  const active = new Set<ServerResponse>();
  let stopping = false;
  server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
    if (stopping) res.setHeader('Connection', 'close');
    active.add(res);
    res.once('close', () => active.delete(res));
  });

  let closing: Promise<void> | null = null;
  const close = (timeoutMs: number) => {
    stopping = true;
    for (const res of active) if (!res.headersSent) res.setHeader('Connection', 'close');
    closing ??= new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        options.logger.warn({ timeoutMs }, 'shutdown timeout: closing the remaining connections');
        server.closeAllConnections();
      }, timeoutMs);
      timer.unref();
      server.close(() => {
        clearTimeout(timer);
        resolve();
      });
      server.closeIdleConnections();
    });
    return closing;
  };
  return { server, url, close };
}
