/**
 * Counts calls in flight, in total and per key, and refuses a call beyond either bound at once.
 * There is deliberately no queue: a queue behind a slow upstream only moves the pile-up into
 * memory and makes every later call slow, while an immediate `overloaded` lets the agent (or the
 * person testing) retry and keeps one workspace from holding every socket of the process.
 */
export class ConcurrencyLimiter {
  #total = 0;
  readonly #perKey = new Map<string, number>();
  readonly #maxTotal: number;
  readonly #maxPerKey: number;

  constructor(maxTotal: number, maxPerKey: number) {
    this.#maxTotal = maxTotal;
    this.#maxPerKey = maxPerKey;
  }

  /** Calls in flight, for diagnostics and tests. */
  get inFlight(): number {
    return this.#total;
  }

  /**
   * Take a slot. Returns a release function (idempotent), or which bound was hit. A call without
   * a key counts only against the total.
   */
  acquire(key: string | undefined): (() => void) | 'total' | 'key' {
    if (this.#total >= this.#maxTotal) return 'total';
    const held = key === undefined ? 0 : (this.#perKey.get(key) ?? 0);
    if (key !== undefined && held >= this.#maxPerKey) return 'key';
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
