import { describe, expect, it } from 'vitest';
import {
  type ConcurrencyBounds,
  ConcurrencyLimiter,
  type ConcurrencyRefusal,
  type ReleaseSlot,
} from './limiter';
import { DEFAULT_POLICY, describePolicy, resolvePolicy } from './policy';

const DEFAULTS: ConcurrencyBounds = DEFAULT_POLICY;

/** Take one slot for `key`; a refusal is returned as it is. */
function take(limiter: ConcurrencyLimiter, key: string | undefined): ReleaseSlot | ConcurrencyRefusal {
  return limiter.acquire(key);
}

/** Take slots for `key` until refused; returns how many it got and the refusal. */
function fill(limiter: ConcurrencyLimiter, key: string): { got: number; refusal: ConcurrencyRefusal } {
  let got = 0;
  for (;;) {
    const slot = take(limiter, key);
    if (typeof slot !== 'function') return { got, refusal: slot };
    got += 1;
  }
}

/** Keys whose upstreams hang: they never release, and keep asking until every call is refused. */
function hangingKeys(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `hanging-${i}`);
}

/** Each hanging key asks for one more call in turn (many visitors at once), until none gets one. */
function interleaved(limiter: ConcurrencyLimiter, keys: string[]): void {
  for (let progress = true; progress; ) {
    progress = false;
    for (const key of keys) if (typeof take(limiter, key) === 'function') progress = true;
  }
}

/** Each hanging key fills what it can before the next starts: the order that packs the most. */
function oneAfterAnother(limiter: ConcurrencyLimiter, keys: string[]): void {
  for (const key of keys) fill(limiter, key);
}

/** How many single-call tenants (one call each, distinct keys) still get a slot. */
function singleCallTenants(limiter: ConcurrencyLimiter): number {
  let served = 0;
  while (typeof take(limiter, `tenant-${served}`) === 'function') served += 1;
  return served;
}

type Scenario = {
  held: number;
  quiet: number;
  tenants: number;
};

/** K hanging keys, then what one quiet tenant (or many single-call tenants) still gets. */
function attack(k: number, order: typeof interleaved, bounds: ConcurrencyBounds = DEFAULTS): Scenario {
  const keys = hangingKeys(k);
  const a = new ConcurrencyLimiter(bounds);
  order(a, keys);
  const held = a.inFlight;
  const quiet = fill(a, 'quiet').got;
  const b = new ConcurrencyLimiter(bounds);
  order(b, keys);
  return { held, quiet, tenants: singleCallTenants(b) };
}

describe('ConcurrencyLimiter bounds', () => {
  it('lets a lone key on an idle process use its whole per-key bound, then refuses with `key`', () => {
    const limiter = new ConcurrencyLimiter(DEFAULTS);
    const { got, refusal } = fill(limiter, 'ws-1');
    expect(got).toBe(16);
    expect(refusal).toEqual({ bound: 'key', limit: 16 });
    expect(limiter.heldBy('ws-1')).toBe(16);
  });

  it('never lets the total pass maxConcurrent, and refuses with `total` only when it is reached', () => {
    const limiter = new ConcurrencyLimiter(DEFAULTS);
    for (let i = 0; i < 128; i += 1) expect(typeof take(limiter, `ws-${i}`)).toBe('function');
    expect(take(limiter, 'ws-new')).toEqual({ bound: 'total', limit: 128 });
    expect(take(limiter, undefined)).toEqual({ bound: 'total', limit: 128 });
    expect(limiter.inFlight).toBe(128);
  });

  it('counts a call without a key against the total only', () => {
    const limiter = new ConcurrencyLimiter({
      maxConcurrent: 4,
      maxConcurrentPerKey: 1,
      fairShareBelowFree: 0.5,
    });
    const slots = [take(limiter, undefined), take(limiter, undefined), take(limiter, undefined)];
    expect(slots.every((slot) => typeof slot === 'function')).toBe(true);
    expect(typeof take(limiter, 'ws-1')).toBe('function');
    expect(take(limiter, undefined)).toEqual({ bound: 'total', limit: 4 });
  });

  it('gives a slot back once, however often release is called', () => {
    const limiter = new ConcurrencyLimiter(DEFAULTS);
    const first = take(limiter, 'ws-1');
    const second = take(limiter, 'ws-1');
    if (typeof first !== 'function' || typeof second !== 'function') throw new Error('expected slots');
    first();
    first();
    expect(limiter.inFlight).toBe(1);
    expect(limiter.heldBy('ws-1')).toBe(1);
    second();
    expect(limiter.inFlight).toBe(0);
    expect(limiter.heldBy('ws-1')).toBe(0);
  });

  it('shrinks a busy key’s share as the process fills: 4 free slots per call held at the defaults', () => {
    const limiter = new ConcurrencyLimiter(DEFAULTS);
    // Keyless calls stand in for everyone else: 72 in flight leaves 56 free, under half.
    for (let i = 0; i < 72; i += 1) take(limiter, undefined);
    // A key holding n may start another while more than 4n slots are free: 0 < 56, …, 11 × 4 = 44
    // < 45 free, then 12 × 4 = 48 is not below the 44 left.
    const { got, refusal } = fill(limiter, 'ws-busy');
    expect(got).toBe(12);
    expect(refusal).toEqual({ bound: 'share', limit: 12 });
    // A key with nothing in flight still gets in and grows while 4n stays below what is free:
    // 8 × 4 = 32 < 36, then 9 × 4 = 36 is not below 35.
    expect(fill(limiter, 'ws-quiet')).toEqual({ got: 9, refusal: { bound: 'share', limit: 9 } });
  });

  it('takes the last slot only for a key with nothing in flight', () => {
    const limiter = new ConcurrencyLimiter(DEFAULTS);
    for (let i = 0; i < 126; i += 1) take(limiter, undefined);
    expect(typeof take(limiter, 'ws-1')).toBe('function');
    expect(take(limiter, 'ws-1')).toEqual({ bound: 'share', limit: 1 });
    expect(typeof take(limiter, 'ws-2')).toBe('function');
    expect(take(limiter, 'ws-3')).toEqual({ bound: 'total', limit: 128 });
  });

  it('with fairShareBelowFree 0, keeps the old fixed per-key bound (8 hanging keys fill the process)', () => {
    const off = { ...DEFAULTS, fairShareBelowFree: 0 };
    expect(attack(8, interleaved, off)).toEqual({ held: 128, quiet: 0, tenants: 0 });
  });
});

/**
 * The review's attack: K workspaces whose upstreams hang hold their slots until the 10 s deadline.
 * The numbers are the egress README's table; both orders of arrival are checked, interleaved (many
 * visitors at once) and one key filling up after another (the order that packs the most).
 */
describe('K hanging keys at the production defaults (128 total, 16 per key, fair share below half free)', () => {
  it('K = 1: the quiet tenant is unaffected', () => {
    expect(attack(1, interleaved)).toEqual({ held: 16, quiet: 16, tenants: 112 });
    expect(attack(1, oneAfterAnother)).toEqual({ held: 16, quiet: 16, tenants: 112 });
  });

  it('K = 8: the hanging keys stop at 88–103 slots; a quiet tenant runs 5–8 calls at once', () => {
    expect(attack(8, interleaved)).toEqual({ held: 88, quiet: 8, tenants: 40 });
    expect(attack(8, oneAfterAnother)).toEqual({ held: 103, quiet: 5, tenants: 25 });
  });

  it('K = 64 interleaved: one call at a time for a few quiet tenants; packed one after another: full', () => {
    expect(attack(64, interleaved)).toEqual({ held: 124, quiet: 1, tenants: 4 });
    expect(attack(64, oneAfterAnother)).toEqual({ held: 128, quiet: 0, tenants: 0 });
  });

  it('K = 200 (more keys than slots): full, whatever the order, until the hanging calls time out', () => {
    expect(attack(200, interleaved)).toEqual({ held: 128, quiet: 0, tenants: 0 });
    expect(attack(200, oneAfterAnother)).toEqual({ held: 128, quiet: 0, tenants: 0 });
  });

  it('where it stops helping: 19 keys packed, or 128 interleaved, fill the process', () => {
    expect(attack(18, oneAfterAnother).tenants).toBeGreaterThan(0);
    expect(attack(19, oneAfterAnother)).toEqual({ held: 128, quiet: 0, tenants: 0 });
    expect(attack(127, interleaved)).toEqual({ held: 127, quiet: 1, tenants: 1 });
    expect(attack(128, interleaved)).toEqual({ held: 128, quiet: 0, tenants: 0 });
  });

  it('what healthy busy tenants pay: 8 wanting 16 get 11 each, 64 wanting 2 get 124 of 128', () => {
    const busy = (tenants: number, wants: number) => {
      const limiter = new ConcurrencyLimiter(DEFAULTS);
      const keys = Array.from({ length: tenants }, (_, i) => `ws-${i}`);
      for (let round = 0; round < wants; round += 1) for (const key of keys) take(limiter, key);
      return limiter.inFlight;
    };
    expect(busy(8, 16)).toBe(88);
    expect(busy(64, 2)).toBe(124);
    expect(busy(128, 1)).toBe(128);
  });

  it('scales with maxConcurrent: at 1024 total, 64 hanging keys leave 182–320 single-call tenants', () => {
    const big = { ...DEFAULTS, maxConcurrent: 1024 };
    expect(attack(64, interleaved, big).tenants).toBe(320);
    expect(attack(64, oneAfterAnother, big).tenants).toBe(182);
    expect(attack(200, interleaved, big).tenants).toBe(128);
  });
});

describe('invariants under random traffic', () => {
  /** A small deterministic PRNG (mulberry32), so a failure replays. */
  function random(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
    };
  }

  it.each<[string, ConcurrencyBounds]>([
    ['the defaults', DEFAULTS],
    ['10 total, 3 per key, 0.5', { maxConcurrent: 10, maxConcurrentPerKey: 3, fairShareBelowFree: 0.5 }],
    ['37 total, 5 per key, 0.8', { maxConcurrent: 37, maxConcurrentPerKey: 5, fairShareBelowFree: 0.8 }],
    ['16 total, 16 per key, 0.25', { maxConcurrent: 16, maxConcurrentPerKey: 16, fairShareBelowFree: 0.25 }],
  ])(
    '%s: bounds hold, an idle key is refused only when full, a refusal names the right bound',
    (_, bounds) => {
      const next = random(bounds.maxConcurrent * 7919 + bounds.maxConcurrentPerKey);
      const limiter = new ConcurrencyLimiter(bounds);
      const held = new Map<string, ReleaseSlot[]>();
      let total = 0;
      const shrinkBelow = bounds.fairShareBelowFree * bounds.maxConcurrent;
      for (let step = 0; step < 10_000; step += 1) {
        const key = `ws-${Math.floor(next() ** 2 * 40)}`;
        const mine = held.get(key) ?? [];
        if (next() < 0.45 && mine.length > 0) {
          mine.splice(Math.floor(next() * mine.length), 1)[0]?.();
          total -= 1;
          continue;
        }
        const free = bounds.maxConcurrent - total;
        const slot = take(limiter, key);
        if (typeof slot === 'function') {
          expect(free).toBeGreaterThan(0);
          expect(mine.length).toBeLessThan(bounds.maxConcurrentPerKey);
          mine.push(slot);
          held.set(key, mine);
          total += 1;
        } else if (slot.bound === 'total') {
          expect(free).toBe(0);
        } else if (slot.bound === 'key') {
          expect(mine.length).toBe(bounds.maxConcurrentPerKey);
        } else {
          expect(mine.length).toBeGreaterThan(0);
          expect(free).toBeLessThan(shrinkBelow);
          expect(slot.limit).toBe(mine.length);
        }
        expect(limiter.inFlight).toBe(total);
        expect(limiter.heldBy(key)).toBe(mine.length);
      }
    },
  );
});

describe('policy: fairShareBelowFree', () => {
  it('defaults to 0.5 and appears in the policy summary', () => {
    expect(resolvePolicy().fairShareBelowFree).toBe(0.5);
    expect(describePolicy().summary).toContain('128 total, 16 per key, shared fairly below 50% free');
  });

  it.each([0, 0.25, 1])('accepts %s', (value) => {
    expect(resolvePolicy({ fairShareBelowFree: value }).fairShareBelowFree).toBe(value);
  });

  it.each([-0.1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses %s at start-up', (value) => {
    expect(() => resolvePolicy({ fairShareBelowFree: value })).toThrow(
      'fairShareBelowFree must be a number from 0 to 1',
    );
  });
});
