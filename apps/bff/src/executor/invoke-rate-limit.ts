import type { Store, TokenBucketPolicy } from '../store/types';

/**
 * The per-workspace rate of agent invokes: a token bucket held in the store, so it holds across
 * every instance on one database, taken in batches so that the invoke's hot path does not pay a
 * store round trip per call.
 *
 * Each instance takes up to `batch` tokens at a time from the shared bucket (one atomic
 * statement) and spends them locally; it asks for the next batch when half is spent, before it
 * runs out, so calls at a steady rate never wait for the store. Tokens an instance holds expire
 * after HOLD_MS: spent later they would let a burst pass the bucket's limit. The bound across N
 * instances is therefore the bucket's `burst` plus at most N batches within HOLD_MS; the batch is
 * a tenth of a second's worth of the rate (at least 1, at most 100), so it is small against the
 * burst. A refusal is remembered locally until the bucket can have a token again, so a storm of
 * refused calls (which count too: every authenticated invoke spends a token, whatever its
 * outcome) does not become a storm of store writes.
 */

const HOLD_MS = 1_000;
const MAX_BATCH = 100;

interface Local {
  tokens: number;
  /** performance.now() after which held tokens are dropped. */
  expiresAt: number;
  /** performance.now() before which the bucket is known to be empty. */
  emptyUntil: number;
  refill: Promise<void> | null;
}

export type TakeResult = { allowed: true } | { allowed: false; retryAfterMs: number };

export class InvokeRateLimiter {
  readonly #store: Store;
  readonly #policy: TokenBucketPolicy;
  readonly #batch: number;
  readonly #local = new Map<string, Local>();

  constructor(store: Store, policy: TokenBucketPolicy) {
    this.#store = store;
    this.#policy = policy;
    this.#batch = Math.max(
      1,
      Math.min(MAX_BATCH, Math.floor(policy.burst), Math.ceil(policy.ratePerSecond / 10)),
    );
  }

  /** Spends one token of the workspace. Rejects (StoreError `unavailable`) when the store cannot answer. */
  async take(workspaceId: string): Promise<TakeResult> {
    const local = this.#entry(workspaceId);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const now = performance.now();
      if (local.expiresAt <= now) local.tokens = 0;
      if (local.tokens >= 1) {
        local.tokens -= 1;
        // Ask for the next batch ahead of need: calls at a steady rate never wait on the store.
        if (local.tokens < this.#batch / 2 && local.refill === null && local.emptyUntil <= now) {
          void this.#refill(workspaceId, local).catch(() => {});
        }
        return { allowed: true };
      }
      if (local.emptyUntil > now) return { allowed: false, retryAfterMs: local.emptyUntil - now };
      await this.#refill(workspaceId, local);
    }
    const now = performance.now();
    return { allowed: false, retryAfterMs: Math.max(1, local.emptyUntil - now) };
  }

  #entry(workspaceId: string): Local {
    let local = this.#local.get(workspaceId);
    if (local === undefined) {
      // Bounded: entries of workspaces not seen for a while are dropped (they hold nothing useful).
      if (this.#local.size >= 10_000) this.#sweep();
      local = { tokens: 0, expiresAt: 0, emptyUntil: 0, refill: null };
      this.#local.set(workspaceId, local);
    }
    return local;
  }

  #sweep(): void {
    const now = performance.now();
    for (const [key, local] of this.#local) {
      if (local.refill === null && local.expiresAt <= now && local.emptyUntil <= now) this.#local.delete(key);
    }
  }

  /** One store round trip per batch; concurrent callers share it. */
  #refill(workspaceId: string, local: Local): Promise<void> {
    local.refill ??= (async () => {
      try {
        const { granted, tokensLeft } = await this.#store.takeInvokeTokens(
          workspaceId,
          this.#batch,
          this.#policy,
        );
        const now = performance.now();
        if (granted > 0) {
          if (local.expiresAt <= now) local.tokens = 0;
          local.tokens += granted;
          local.expiresAt = now + HOLD_MS;
          local.emptyUntil = 0;
        } else {
          // When the bucket will hold a whole token again.
          const waitMs = (Math.max(0, 1 - tokensLeft) / Math.max(this.#policy.ratePerSecond, 1e-9)) * 1000;
          local.emptyUntil = now + Math.max(1, waitMs);
        }
      } finally {
        local.refill = null;
      }
    })();
    return local.refill;
  }
}
