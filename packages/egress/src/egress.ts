import type { Readable } from 'node:stream';
import type { ConnectionOptions } from 'node:tls';
import { Agent } from 'undici';
import { createGuardedConnector } from './connector';
import { parseDestinationUrl } from './destination-url';
import { createDnsLookup, type LookupFunction } from './dns-lookup';
import { EgressError, type EgressErrorCode } from './errors';
import { type FailureContext, toEgressError } from './failure';
import { ConcurrencyLimiter, type ConcurrencyRefusal } from './limiter';
import { type EgressPolicyInput, type ResolvedPolicy, resolvePolicy } from './policy';
import { LookupsInFlight } from './resolve';

/** Methods the client sends. CONNECT and TRACE are never sent. */
export const EGRESS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type EgressMethod = (typeof EGRESS_METHODS)[number];

/** One outbound call, as `renderRequest` in actions-core produces it. */
export interface EgressRequest {
  method: EgressMethod;
  url: string;
  /** Header names in any case. Hop-by-hop headers, `Host` and `Accept-Encoding` are replaced. */
  headers?: Record<string, string>;
  body?: string | Uint8Array | null;
}

/** Per-call options. */
export interface EgressRequestOptions {
  /** Cancels the call; the result is then `aborted`. */
  signal?: AbortSignal;
  /** Concurrency key: calls with the same key share `maxConcurrentPerKey` (the BFF passes the workspace id). */
  key?: string;
}

/** A response (any status, 3xx included: redirects are never followed). */
export interface EgressResponse {
  ok: true;
  status: number;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The body bytes read, decoded as UTF-8 (invalid sequences become U+FFFD). */
  body: string;
  /** How many body bytes were read (at most `maxResponseBytes`). */
  bodyBytes: number;
  /** True when the body was cut at `maxResponseBytes`. */
  truncated: boolean;
  durationMs: number;
}

/** A call that produced no response, with a stable code and a message for a chatbot owner. */
export interface EgressFailure {
  ok: false;
  code: EgressErrorCode;
  message: string;
  durationMs: number;
}

/** What `request` resolves to; it never rejects for an outcome of the call. */
export type EgressResult = EgressResponse | EgressFailure;

/**
 * What a failure's message leaves out, for the operator's log (`onDetail`): for a host name DNS
 * rules out, whether it does not exist or which internal address it resolves to.
 */
export interface EgressDetail {
  /** The call's concurrency key (the BFF's workspace id), when it had one. */
  key: string | undefined;
  hostname: string;
  code: EgressErrorCode;
  /** What the caller was told. */
  message: string;
  /** What the caller was not told. Never contains request headers or bodies. */
  detail: string;
}

/** Options of `createEgress`. */
export interface EgressOptions {
  /**
   * Name resolution. Default: c-ares (`createDnsLookup`) on the policy's `dnsServers` or the
   * system's, within `lookupTimeoutMs`. Tests map their host names to loopback addresses.
   */
  lookup?: LookupFunction;
  /** Called for a failure whose message hides something the operator may need (see `EgressDetail`). */
  onDetail?: (detail: EgressDetail) => void;
  /**
   * What may be reached and the limits; defaults to production's (`DEFAULT_POLICY`). Its
   * `hostOverrides` (development) send a host name's connections to a fixed address and port.
   */
  policy?: EgressPolicyInput;
  /** CA certificates to trust instead of Node's bundled roots (tests, an operator's private PKI). */
  ca?: ConnectionOptions['ca'];
  /** How long an idle keep-alive connection is kept. Default 4 s (undici's default). */
  keepAliveTimeoutMs?: number;
}

/** The guarded client. One per process (or per policy); `close` it on shutdown. */
export interface Egress {
  /** The policy in force, defaults filled in. */
  readonly policy: ResolvedPolicy;
  /** Make one call. Resolves with the response or a coded failure; rejects only on a programming error (an invalid method or header). */
  request(request: EgressRequest, options?: EgressRequestOptions): Promise<EgressResult>;
  /** Calls in flight. */
  readonly inFlight: number;
  /** Let calls in flight finish, then close every connection. Later calls fail with `aborted`. */
  close(): Promise<void>;
}

// Headers the client owns: the connection is the client's business, Host must match the checked
// origin, and Accept-Encoding stays identity so nothing is ever decompressed past the cap.
const OWNED_HEADERS = new Set([
  'host',
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'proxy-authenticate',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'content-length',
  'expect',
  'accept-encoding',
]);

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/u;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const BAD_HEADER_VALUE = /[\u0000-\u0008\u000a-\u001f\u007f]/u;

function outgoingHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!TOKEN.test(name)) throw new TypeError(`egress: invalid header name "${name}"`);
    if (typeof value !== 'string' || BAD_HEADER_VALUE.test(value)) {
      // The value is not repeated: it may be a credential.
      throw new TypeError(`egress: the value of header "${name}" contains control characters`);
    }
    const lower = name.toLowerCase();
    if (!OWNED_HEADERS.has(lower)) out[lower] = value;
  }
  out['accept-encoding'] = 'identity';
  return out;
}

function incomingHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  // for…in over undici's plain object: no entry arrays per header (the profile showed them).
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    out[name.toLowerCase()] = typeof value === 'string' ? value : value.join(', ');
  }
  return out;
}

// Decoding without { stream: true } keeps no state between calls, so one decoder serves all.
const utf8 = new TextDecoder('utf-8');

function requestBody(body: string | Uint8Array | null | undefined): Uint8Array | string | undefined {
  return body === null || body === undefined ? undefined : body;
}

function byteLength(body: string | Uint8Array): number {
  return typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.byteLength;
}

/**
 * Read a body up to `cap` bytes. At the cap it keeps what fits and destroys the stream, which
 * closes the socket instead of draining the rest of a possibly endless body; nothing past the
 * cap is kept. Plain events rather than an async iterator: cheaper per call.
 */
function readCapped(
  body: Readable,
  cap: number,
): Promise<{ chunks: Buffer[]; received: number; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const onData = (chunk: Buffer) => {
      const room = cap - received;
      if (chunk.length <= room) {
        chunks.push(chunk);
        received += chunk.length;
        return;
      }
      if (room > 0) chunks.push(chunk.subarray(0, room));
      received = cap;
      settled = true;
      body.off('data', onData);
      body.off('error', reject);
      // A destroy may still report an error; it no longer matters.
      body.on('error', () => {});
      body.destroy();
      resolve({ chunks, received, truncated: true });
    };
    body.on('data', onData);
    body.once('error', reject);
    body.once('end', () => {
      settled = true;
      resolve({ chunks, received, truncated: false });
    });
    // A stream closed without 'end' or 'error' must not leave the call hanging. 'close' follows
    // every 'end', so the error (and its stack trace, the costliest line of a call in the
    // profile) is only made when nothing settled the read.
    body.once('close', () => {
      if (!settled) reject(Object.assign(new Error('closed early'), { code: 'UND_ERR_SOCKET' }));
    });
  });
}

/**
 * One call in flight: what a failure message needs (`FailureContext`) and the cancellation
 * signal undici gets, in one object. undici reads only `aborted`, `on`/`once` and
 * `removeListener` of a signal and adds one listener; this is cheaper than an EventEmitter or an
 * AbortController per call (both showed up in the benchmark's profile). It fires once, for the
 * total deadline or the caller's signal.
 */
class Call implements FailureContext {
  ended: 'aborted' | 'timeout' | null = null;
  #listener: (() => void) | null = null;

  constructor(
    readonly hostname: string,
    readonly totalTimeoutMs: number,
  ) {}

  get aborted(): boolean {
    return this.ended !== null;
  }

  on(_event: 'abort', listener: () => void): this {
    this.#listener = listener;
    return this;
  }

  once(event: 'abort', listener: () => void): this {
    return this.on(event, listener);
  }

  removeListener(_event: 'abort', listener: () => void): this {
    if (this.#listener === listener) this.#listener = null;
    return this;
  }

  end(why: 'aborted' | 'timeout'): void {
    if (this.ended !== null) return;
    this.ended = why;
    const listener = this.#listener;
    this.#listener = null;
    listener?.();
  }
}

// Module-level, so a call allocates no closure for its deadline.
function endAtDeadline(call: Call): void {
  call.end('timeout');
}

function roundedSince(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}

function failure(error: EgressError, started: number): EgressFailure {
  return { ok: false, code: error.code, message: error.message, durationMs: roundedSince(started) };
}

/** What an `overloaded` failure says: which bound was hit, never who else is holding slots. */
function overloadedMessage(refusal: ConcurrencyRefusal): string {
  switch (refusal.bound) {
    case 'total':
      return `too many calls are already running (at most ${refusal.limit} at once); try again shortly`;
    case 'key':
      return `too many calls are already running for this account (at most ${refusal.limit} at once); try again shortly`;
    case 'share':
      return `too many calls are already running for this account while the service is busy (at most ${refusal.limit} at once right now); try again shortly`;
  }
}

/**
 * Create the SSRF-guarded HTTPS client of DESIGN.md ("The executor"): a dedicated undici Agent
 * whose only connector dials checked addresses, no redirects, capped bodies, deadlines and
 * bounded concurrency. Never uses the global dispatcher or `fetch`, so proxy environment
 * variables and anything else installed globally have no effect.
 */
export function createEgress(options: EgressOptions = {}): Egress {
  const policy = resolvePolicy(options.policy);
  const dns =
    options.lookup === undefined
      ? createDnsLookup({ servers: policy.dnsServers, timeoutMs: policy.lookupTimeoutMs })
      : null;
  const lookups = new LookupsInFlight(options.lookup ?? dns!);
  const { onDetail } = options;
  const limiter = new ConcurrencyLimiter(policy);
  const agent = new Agent({
    connect: createGuardedConnector({ policy, lookup: lookups.lookup, ca: options.ca }),
    headersTimeout: policy.headersTimeoutMs,
    // The total deadline below is what bounds a slow body; this only catches a silent socket.
    bodyTimeout: policy.totalTimeoutMs,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 4_000,
    pipelining: 1,
    allowH2: false,
  });
  let closed: Promise<void> | null = null;

  async function request(req: EgressRequest, opts: EgressRequestOptions = {}): Promise<EgressResult> {
    const started = performance.now();
    const fail = (error: EgressError) => failure(error, started);

    if (!(EGRESS_METHODS as readonly string[]).includes(req.method)) {
      throw new TypeError(`egress: unsupported method "${String(req.method)}"`);
    }
    const headers = outgoingHeaders(req.headers);
    if (closed !== null) {
      return fail(new EgressError('aborted', 'the call was not made: the service is shutting down'));
    }
    if (opts.signal?.aborted) return fail(new EgressError('aborted', 'the call was cancelled'));

    const destination = parseDestinationUrl(req.url, policy);
    if (destination instanceof EgressError) return fail(destination);
    const body = requestBody(req.body);
    if (body !== undefined && byteLength(body) > policy.maxRequestBytes) {
      return fail(
        new EgressError(
          'request_too_large',
          `the request body is ${byteLength(body)} bytes, more than the ${policy.maxRequestBytes} allowed`,
        ),
      );
    }

    const slot = limiter.acquire(opts.key);
    if (typeof slot !== 'function') return fail(new EgressError('overloaded', overloadedMessage(slot)));
    let lookupEnded: Promise<void> | undefined;

    const { hostname, port, url } = destination;
    const call = new Call(hostname, policy.totalTimeoutMs);
    const { signal } = opts;
    const onCallerAbort = signal === undefined ? null : () => call.end('aborted');
    if (onCallerAbort !== null) signal?.addEventListener('abort', onCallerAbort, { once: true });
    const deadline = setTimeout(endAtDeadline, policy.totalTimeoutMs, call);

    try {
      // The origin is rebuilt from the checked host (no trailing dot, no userinfo), so the pool
      // key, the Host header and the connector all see the same name.
      const hostPart = hostname.includes(':') ? `[${hostname}]` : hostname;
      const response = await agent.request({
        origin: `https://${hostPart}${port === 443 ? '' : `:${port}`}`,
        path: `${url.pathname}${url.search}`,
        method: req.method,
        headers,
        body,
        signal: call,
      });
      const { chunks, received, truncated } = await readCapped(response.body, policy.maxResponseBytes);
      if (truncated && policy.onLargeResponse === 'fail') {
        return fail(
          new EgressError(
            'response_too_large',
            `${hostname} answered with more than the ${policy.maxResponseBytes} bytes allowed`,
          ),
        );
      }
      return {
        ok: true,
        status: response.statusCode,
        headers: incomingHeaders(response.headers),
        // One chunk (a small answer) is decoded as it is, without a copy.
        body: utf8.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, received)),
        bodyBytes: received,
        truncated,
        durationMs: roundedSince(started),
      };
    } catch (error) {
      const coded = toEgressError(error, call);
      if (coded.detail !== undefined) {
        onDetail?.({
          key: opts.key,
          hostname,
          code: coded.code,
          message: coded.message,
          detail: coded.detail,
        });
      }
      // A lookup of this name may still be running (the call was answered at its deadline or
      // cancelled): the slot stays counted until the lookup truly ends.
      lookupEnded = lookups.ended(hostname);
      return fail(coded);
    } finally {
      clearTimeout(deadline);
      if (onCallerAbort !== null) signal?.removeEventListener('abort', onCallerAbort);
      if (lookupEnded === undefined) slot();
      else lookupEnded.then(slot);
    }
  }

  return {
    policy,
    request,
    get inFlight() {
      return limiter.inFlight;
    },
    close() {
      closed ??= agent.close().finally(() => dns?.cancel());
      return closed;
    },
  };
}
