import { createHash } from 'node:crypto';
import type { OAuthClientCredentialsAuth } from '@aihio/actions-core';
import type { Keyring } from '../../crypto/types';
import type { OAuthTokenRecord, Store } from '../../store/types';
import type { EgressClient } from '../egress';
import { requestToken, type TokenFailure } from './token-request';

/**
 * Access tokens of OAuth 2.0 client credentials actions, cached so that a call does not cost a
 * token request:
 * - in this process's memory (the invoke hot path: a valid token is served without touching the
 *   store, the keyring or the secret);
 * - sealed in the store (`oauth_tokens`), so every instance on one database shares a token
 *   instead of each asking for its own.
 * Entries are keyed by the action and its credential version (a digest of the sealed secret: a
 * new or removed secret retires every token bought with the old one) and the token settings, so
 * a token is never reused for a secret or settings it was not issued for. A token is used until
 * `expires_in` minus a margin; one without `expires_in` is used for one call and never cached.
 * One fetch at a time per action and credential in this process (single flight): the callers
 * that arrive meanwhile share its answer.
 */

/** Refresh this long before expiry at most (a tenth of the lifetime for short-lived tokens). */
const MAX_MARGIN_MS = 60_000;
/** Memory entries kept per process; the oldest goes first beyond it. */
const MAX_MEMORY_ENTRIES = 10_000;

export interface TokenGranted {
  ok: true;
  accessToken: string;
  /** Served from memory or the store rather than the token endpoint. */
  reused: boolean;
  /** Epoch ms, or null for a token without `expires_in` (used for this one call). */
  expiresAt: number | null;
}

export type TokenOutcome = TokenGranted | TokenFailure;

/** What execute asks for a token; `rejected` is a token the API just answered 401 to. */
export interface TokenSource {
  token(rejected: string | null): Promise<TokenOutcome>;
  /** For the test panel's token step: seconds left, from this source's clock. */
  secondsLeft(expiresAt: number): number;
}

interface MemoryEntry {
  accessToken: string;
  /** Until when it is handed out (expiry minus the margin), epoch ms. */
  usableUntil: number;
  expiresAt: number;
}

export interface ActionTokenContext {
  workspaceId: string;
  actionId: string;
  auth: OAuthClientCredentialsAuth;
  /** The sealed client secret as stored: its digest is the credential version. */
  credentialSealed: string;
  /** Opens the client secret; called only when a token must be fetched. */
  openSecret: () => Promise<string>;
}

type TokenStore = Pick<Store, 'getOAuthToken' | 'putOAuthToken'>;

function usableUntil(obtainedAt: number, expiresAt: number): number {
  const margin = Math.min(MAX_MARGIN_MS, (expiresAt - obtainedAt) / 10);
  return expiresAt - margin;
}

/** The AAD of a cached token: bound to its workspace, action and credential version. */
export function oauthTokenAad(workspaceId: string, actionId: string, credentialVersion: string): string {
  return `aihio:oauth-token:v1:${workspaceId}:${actionId}:${credentialVersion}`;
}

export function credentialVersionOf(ctx: Pick<ActionTokenContext, 'credentialSealed' | 'auth'>): string {
  const { tokenUrl, clientId, scope, audience } = ctx.auth;
  return createHash('sha256')
    .update(JSON.stringify([ctx.credentialSealed, tokenUrl, clientId, scope ?? '', audience ?? '']))
    .digest('base64url')
    .slice(0, 22);
}

export class OAuthTokenCache {
  private readonly memory = new Map<string, MemoryEntry>();
  private readonly flights = new Map<string, Promise<TokenOutcome>>();

  constructor(
    private readonly deps: {
      store: TokenStore;
      keyring: Pick<Keyring, 'seal' | 'open'>;
      egress: EgressClient;
      now?: () => number;
    },
  ) {}

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  /** A token source for one call of one stored action. */
  source(ctx: ActionTokenContext): TokenSource {
    const version = credentialVersionOf(ctx);
    const key = `${ctx.actionId}:${version}`;
    return {
      token: (rejected) => this.token(ctx, key, version, rejected),
      secondsLeft: (expiresAt) => Math.max(0, Math.round((expiresAt - this.now()) / 1000)),
    };
  }

  private async token(
    ctx: ActionTokenContext,
    key: string,
    version: string,
    rejected: string | null,
  ): Promise<TokenOutcome> {
    const cached = this.fromMemory(key, rejected);
    if (cached) return cached;
    const flight = this.flights.get(key);
    if (flight) {
      const shared = await flight;
      // A flight that started before the API refused this token may bring it back: fetch anew.
      if (!shared.ok || shared.accessToken !== rejected) return shared;
    }
    return this.fly(key, () => this.load(ctx, key, version, rejected));
  }

  private fromMemory(key: string, rejected: string | null): TokenGranted | null {
    const entry = this.memory.get(key);
    if (!entry) return null;
    if (entry.usableUntil <= this.now() || entry.accessToken === rejected) {
      this.memory.delete(key);
      return null;
    }
    return { ok: true, accessToken: entry.accessToken, reused: true, expiresAt: entry.expiresAt };
  }

  private async fly(key: string, run: () => Promise<TokenOutcome>): Promise<TokenOutcome> {
    const flight = run().finally(() => {
      if (this.flights.get(key) === flight) this.flights.delete(key);
    });
    this.flights.set(key, flight);
    return flight;
  }

  private remember(key: string, entry: MemoryEntry): void {
    this.memory.delete(key);
    this.memory.set(key, entry);
    if (this.memory.size > MAX_MEMORY_ENTRIES) {
      const oldest = this.memory.keys().next().value;
      if (oldest !== undefined) this.memory.delete(oldest);
    }
  }

  private async load(
    ctx: ActionTokenContext,
    key: string,
    version: string,
    rejected: string | null,
  ): Promise<TokenOutcome> {
    const aad = oauthTokenAad(ctx.workspaceId, ctx.actionId, version);
    const shared = rejected === null ? await this.fromStore(ctx, version, aad) : null;
    if (shared && shared.accessToken !== rejected) {
      this.remember(key, shared);
      return { ok: true, accessToken: shared.accessToken, reused: true, expiresAt: shared.expiresAt };
    }

    const secret = await ctx.openSecret();
    // Not the caller's signal: the callers sharing this flight must not lose it because the first
    // one went away. Egress's deadline bounds it.
    const obtained = await requestToken(this.deps.egress, ctx.auth, secret, { key: ctx.workspaceId });
    if (!obtained.ok) return obtained;
    const obtainedAt = this.now();
    if (obtained.expiresIn === null) {
      return { ok: true, accessToken: obtained.accessToken, reused: false, expiresAt: null };
    }
    const expiresAt = obtainedAt + obtained.expiresIn * 1000;
    const entry = {
      accessToken: obtained.accessToken,
      expiresAt,
      usableUntil: usableUntil(obtainedAt, expiresAt),
    };
    if (entry.usableUntil > obtainedAt) {
      this.remember(key, entry);
      await this.toStore(ctx, version, aad, obtainedAt, entry);
    }
    return { ok: true, accessToken: obtained.accessToken, reused: false, expiresAt };
  }

  private async fromStore(
    ctx: ActionTokenContext,
    version: string,
    aad: string,
  ): Promise<MemoryEntry | null> {
    let row: OAuthTokenRecord | null;
    try {
      row = await this.deps.store.getOAuthToken(ctx.workspaceId, ctx.actionId);
    } catch {
      // The shared cache is an optimisation: without it, this instance asks for its own token.
      return null;
    }
    if (!row || row.credentialVersion !== version) return null;
    const until = usableUntil(row.obtainedAt, row.expiresAt);
    if (until <= this.now()) return null;
    try {
      const accessToken = await this.deps.keyring.open(row.tokenSealed, aad);
      return { accessToken, expiresAt: row.expiresAt, usableUntil: until };
    } catch {
      return null;
    }
  }

  private async toStore(
    ctx: ActionTokenContext,
    version: string,
    aad: string,
    obtainedAt: number,
    entry: MemoryEntry,
  ): Promise<void> {
    try {
      const tokenSealed = await this.deps.keyring.seal(entry.accessToken, aad);
      await this.deps.store.putOAuthToken({
        workspaceId: ctx.workspaceId,
        actionId: ctx.actionId,
        credentialVersion: version,
        tokenSealed,
        obtainedAt,
        expiresAt: entry.expiresAt,
      });
    } catch {
      // As above: the token in memory serves this instance; the others fetch their own.
    }
  }
}

/**
 * The test panel's source: the owner typed the secret for this one call, so the token is
 * always fetched and never cached (it may not be the stored secret's).
 */
export function uncachedTokenSource(
  egress: EgressClient,
  auth: OAuthClientCredentialsAuth,
  secret: string,
  workspaceId: string,
  signal?: AbortSignal,
  now: () => number = Date.now,
): TokenSource {
  return {
    async token() {
      const obtained = await requestToken(egress, auth, secret, {
        key: workspaceId,
        ...(signal ? { signal } : {}),
      });
      if (!obtained.ok) return obtained;
      const expiresAt = obtained.expiresIn === null ? null : now() + obtained.expiresIn * 1000;
      return { ok: true, accessToken: obtained.accessToken, reused: false, expiresAt };
    },
    secondsLeft: (expiresAt) => Math.max(0, Math.round((expiresAt - now()) / 1000)),
  };
}
