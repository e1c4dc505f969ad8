import type { EgressPolicy } from './policy';

/** The policy fields the limiter reads. */
export type ConcurrencyBounds = Pick<
  EgressPolicy,
  'maxConcurrent' | 'maxConcurrentPerKey' | 'fairShareBelowFree'
>;

/**
 * Why a call was refused: `total`, the process is full; `key`, the key holds its whole
 * `maxConcurrentPerKey`; `share`, the process is busy and the key already holds its fair share.
 * `limit` is the bound that was hit (for `share`, what the key holds now).
 */
export interface ConcurrencyRefusal {
  bound: 'total' | 'key' | 'share';
  limit: number;
}

/** Gives the slot back; calling it again does nothing. */
export type ReleaseSlot = () => void;

/**
 * Counts calls in flight, in total and per key, and refuses a call beyond a bound at once.
 *
 * There is deliberately no queue: a queue behind a slow upstream only moves the pile-up into
 * memory and makes every later call slow, while an immediate `overloaded` lets the agent (or the
 * person testing) retry.
 *
 * A fixed per-key bound alone does not isolate tenants: `maxConcurrent / maxConcurrentPerKey`
 * keys whose upstreams hang (8 at the defaults) would hold every slot until their calls time out.
 * So a key's bound shrinks as the process fills: a key holding `n` calls may start another only
 * while more than `n × h` slots are free, where `h = fairShareBelowFree × maxConcurrent ÷
 * maxConcurrentPerKey` (0.5 × 128 ÷ 16 = 4 at the defaults). While at least that fraction of the
 * slots is free (half, by default) every key may use its whole bound; as it fills, keys that
 * already hold many stop growing first and leave the last slots to keys that hold few; a key with
 * nothing in flight needs just one free slot.
 * Slots are never taken back (a hanging call keeps its socket until its deadline), so the
 * headroom has to be kept before it is needed, not reclaimed.
 *
 * Each call is one map read and write and a few multiplications; there are no timers.
 */
export class ConcurrencyLimiter {
  #total = 0;
  readonly #perKey = new Map<string, number>();
  readonly #maxTotal: number;
  readonly #maxPerKey: number;
  /** `fairShareBelowFree × maxConcurrent`: below this many free slots a key's share shrinks. */
  readonly #shrinkBelow: number;

  constructor(bounds: ConcurrencyBounds) {
    this.#maxTotal = bounds.maxConcurrent;
    this.#maxPerKey = bounds.maxConcurrentPerKey;
    this.#shrinkBelow = bounds.fairShareBelowFree * bounds.maxConcurrent;
  }

  /** Calls in flight, for diagnostics and tests. */
  get inFlight(): number {
    return this.#total;
  }

  /** Calls in flight for one key, for diagnostics and tests. */
  heldBy(key: string): number {
    return this.#perKey.get(key) ?? 0;
  }

  /**
   * Take a slot. Returns a release function (idempotent), or which bound refused the call. A call
   * without a key counts only against the total.
   */
  acquire(key: string | undefined): ReleaseSlot | ConcurrencyRefusal {
    const free = this.#maxTotal - this.#total;
    if (free <= 0) return { bound: 'total', limit: this.#maxTotal };
    const held = key === undefined ? 0 : (this.#perKey.get(key) ?? 0);
    if (held >= this.#maxPerKey) return { bound: 'key', limit: this.#maxPerKey };
    // held < maxPerKey × free / shrinkBelow, multiplied out: while at least `shrinkBelow` slots
    // are free every key may use its whole bound; below that the bound falls in proportion to
    // the free slots, and a key holding nothing (held = 0) passes whenever a slot is free.
    if (held * this.#shrinkBelow >= this.#maxPerKey * free) return { bound: 'share', limit: held };
    this.#total += 1;
    if (key !== undefined) this.#perKey.set(key, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#total -= 1;
      if (key === undefined) return;
      const left = (this.#perKey.get(key) ?? 1) - 1;
      if (left === 0) this.#perKey.delete(key);
      else this.#perKey.set(key, left);
    };
  }
}
