import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createSandboxCertificates, SANDBOX_HOSTNAME, type SandboxCertificates } from './certificates';

/**
 * The demo's "sandbox" upstream: a small HTTPS API standing in for a shop's backend, so the test
 * panel and the agent loop can be tried without any external network. It is what the seeded
 * example actions (`lookup_order`, `create_ticket`) call.
 *
 *   GET  /orders/:orderNumber   the order's status (ORD-404 is unknown: 404)
 *   POST /tickets               creates a support ticket; JSON body, `Authorization: Bearer demo_…`
 *   GET  /slow?seconds=N        answers after N seconds (at most 60): try the timeout explanation
 *   GET  /redirect              a 302 elsewhere: redirects are never followed
 *   GET  /large                 a 1 MiB body: try the truncation notice
 */

export interface SandboxRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface Sandbox {
  /** `https://127.0.0.1:<port>`: the address it listens on (its certificate names 127.0.0.1 too). */
  origin: string;
  port: number;
  /**
   * The BFF's `AIHIO_DEV_HOST_MAP` entry that sends `https://sandbox.aihio.test/…` (port 443, as
   * actions must name) here: `sandbox.aihio.test=127.0.0.1:<port>`.
   */
  hostMapEntry: string;
  /** PEM of the CA that signed the server certificate: what the BFF must trust. */
  caCert: string;
  /** Requests received, oldest first, in memory only (the sandbox never logs headers or bodies). */
  requests: SandboxRequest[];
  close(): Promise<void>;
}

export interface SandboxOptions {
  port?: number;
  host?: string;
  certificates?: SandboxCertificates;
  /** Called with one line per request (method, path, status): never headers or bodies. */
  log?: (line: string) => void;
}

/** Tokens the ticket endpoint accepts: any Bearer token with this prefix. */
export const SANDBOX_TOKEN_PREFIX = 'demo_';

const MAX_REQUEST_BODY = 64 * 1024;
const KNOWN_ORDERS: Record<string, { status: string; carrier?: string; eta?: string; items: number }> = {
  'ORD-123': { status: 'shipped', carrier: 'Posti', eta: '2026-11-27', items: 2 },
  'ORD-456': { status: 'processing', items: 1 },
  'ORD-789': { status: 'delivered', carrier: 'DHL', items: 4 },
};
const STATUSES = ['processing', 'shipped', 'delivered'] as const;

function orderFor(orderNumber: string) {
  const known = KNOWN_ORDERS[orderNumber];
  if (known) return known;
  // Unknown but well-formed numbers get a stable made-up status, so any example the agent
  // extracts gets an answer; ORD-404 stays missing so the not-found path can be shown too.
  const digits = Number(orderNumber.replace(/\D/g, '')) || 0;
  return { status: STATUSES[digits % STATUSES.length] ?? 'processing', items: (digits % 5) + 1 };
}

/**
 * An OpenAPI 3.0 description of the sandbox's routes, served at /openapi.yaml, so the demo's
 * "Import from OpenAPI" turns a real document into working actions against this server.
 */
export const SANDBOX_OPENAPI = `openapi: 3.0.3
info:
  title: Aihio Sandbox Shop
  version: 1.0.0
  description: The demo's sandbox API. Orders can be looked up; support tickets need a bearer token (${SANDBOX_TOKEN_PREFIX}…).
servers:
  - url: https://sandbox.aihio.test
paths:
  /orders/{order_number}:
    get:
      operationId: getOrderStatus
      summary: Look up an order's status by its order number.
      parameters:
        - name: order_number
          in: path
          required: true
          description: The customer's order number, such as ORD-123.
          schema:
            type: string
      responses:
        '200':
          description: The order.
          content:
            application/json:
              schema:
                type: object
                properties:
                  order_number: { type: string }
                  status: { type: string }
        '404':
          description: No such order.
  /tickets:
    post:
      operationId: openSupportTicket
      summary: Open a support ticket for the customer.
      security:
        - sandboxToken: []
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [subject, message]
              properties:
                subject:
                  type: string
                  description: A short title of the customer's problem.
                message:
                  type: string
                  description: The customer's problem in their own words.
                email:
                  type: string
                  format: email
      responses:
        '201':
          description: The ticket.
  /healthz:
    head:
      responses:
        '200':
          description: Up.
components:
  securitySchemes:
    sandboxToken:
      type: http
      scheme: bearer
`;

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
    'cache-control': 'no-store',
    'x-request-id': randomUUID(),
    ...headers,
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BODY) {
        resolve(null);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const certificates = options.certificates ?? (await createSandboxCertificates());
  const requests: SandboxRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let nextTicket = 1001;

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'https://sandbox.invalid');
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    if (body === null) return send(res, 413, { error: 'request body too large' });
    requests.push({ method, path: url.pathname + url.search, headers: { ...req.headers }, body });

    const order = /^\/orders\/([^/]+)$/.exec(url.pathname);
    if (order && method === 'GET') {
      const orderNumber = decodeURIComponent(order[1] ?? '');
      if (orderNumber === 'ORD-404')
        return send(res, 404, { error: 'order not found', order_number: orderNumber });
      return send(res, 200, { order_number: orderNumber, ...orderFor(orderNumber) });
    }

    if (url.pathname === '/tickets' && method === 'POST') {
      const auth = req.headers.authorization ?? '';
      const token = auth.startsWith('Bearer ') ? auth.slice('Bearer '.length) : '';
      if (!token.startsWith(SANDBOX_TOKEN_PREFIX)) {
        return send(res, 401, { error: `send Authorization: Bearer ${SANDBOX_TOKEN_PREFIX}…` });
      }
      if (!(req.headers['content-type'] ?? '').includes('application/json')) {
        return send(res, 415, { error: 'send a JSON body' });
      }
      const ticket = parseJsonObject(body);
      if (!ticket) return send(res, 400, { error: 'the body is not a JSON object' });
      const missing = ['subject', 'message'].filter((k) => typeof ticket[k] !== 'string' || !ticket[k]);
      if (missing.length > 0) return send(res, 422, { error: 'missing fields', fields: missing });
      const id = `TCK-${nextTicket++}`;
      return send(
        res,
        201,
        { ticket_id: id, status: 'open', subject: ticket.subject, email: ticket.email ?? null },
        { location: `/tickets/${id}` },
      );
    }

    if (url.pathname === '/slow' && method === 'GET') {
      const seconds = Math.min(Math.max(Number(url.searchParams.get('seconds')) || 5, 0), 60);
      const timer = setTimeout(() => {
        timers.delete(timer);
        send(res, 200, { waited_seconds: seconds });
      }, seconds * 1000);
      timers.add(timer);
      res.on('close', () => {
        clearTimeout(timer);
        timers.delete(timer);
      });
      return;
    }

    if (url.pathname === '/redirect')
      return send(res, 302, { moved: true }, { location: 'https://example.com/' });
    if (url.pathname === '/large') return send(res, 200, 'x'.repeat(1024 * 1024));
    if (url.pathname === '/healthz') return send(res, 200, { ok: true });
    if (url.pathname === '/openapi.yaml' && method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/yaml', 'cache-control': 'no-store' });
      return res.end(SANDBOX_OPENAPI);
    }
    return send(res, 404, { error: 'no such endpoint', path: url.pathname });
  }

  const server: Server = createServer({ cert: certificates.cert, key: certificates.key }, (req, res) => {
    res.on('finish', () => options.log?.(`${req.method} ${req.url?.split('?')[0]} → ${res.statusCode}`));
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, { error: 'sandbox error' });
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;

  return {
    origin: `https://${host}:${port}`,
    port,
    hostMapEntry: `${SANDBOX_HOSTNAME}=${host}:${port}`,
    caCert: certificates.caCert,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
