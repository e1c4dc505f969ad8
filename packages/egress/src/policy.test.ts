import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, describePolicy, isWidened, resolvePolicy } from './policy';

describe('policy', () => {
  it('defaults to production: port 443, no allowlist, 256 KiB, 10 s', () => {
    const policy = resolvePolicy();
    expect(policy.allowedPorts).toEqual([443]);
    expect(policy.allowCidrs).toEqual([]);
    expect(policy.maxResponseBytes).toBe(256 * 1024);
    expect(policy.totalTimeoutMs).toBe(10_000);
    expect(policy.onLargeResponse).toBe('truncate');
    expect(resolvePolicy({}).maxConcurrent).toBe(DEFAULT_POLICY.maxConcurrent);
  });

  it.each([
    [{}, false],
    [{ maxResponseBytes: 1024, totalTimeoutMs: 1000, maxConcurrent: 4 }, false],
    [{ allowedPorts: [443] }, false],
    [{ allowedPorts: [443, 8443] }, true],
    [{ allowedPorts: [8443] }, true],
    [{ allowCidrs: ['10.0.0.0/8'] }, true],
  ])('isWidened(%j) is %s', (policy, widened) => {
    expect(isWidened(policy)).toBe(widened);
  });

  it('describes each widening for the refusal message', () => {
    const description = describePolicy({ allowedPorts: [443, 8443], allowCidrs: ['127.0.0.1/32'] });
    expect(description.widened).toBe(true);
    expect(description.widenings).toEqual([
      'ports other than 443 are allowed: 8443',
      'internal addresses are allowlisted: 127.0.0.1/32',
    ]);
    expect(description.summary).toContain('allowlist 127.0.0.1/32');
  });

  it.each([
    [{ allowCidrs: ['10.0.0.0/33'] }, 'invalid CIDR'],
    [{ allowCidrs: ['localhost'] }, 'invalid CIDR'],
    [{ allowedPorts: [0] }, 'invalid port'],
    [{ maxResponseBytes: 0 }, 'maxResponseBytes'],
    [{ totalTimeoutMs: Number.NaN }, 'totalTimeoutMs'],
  ])('refuses a malformed policy %j', (policy, says) => {
    expect(() => resolvePolicy(policy)).toThrow(says);
  });
});
