import { describe, expect, it } from 'vitest';
import { judgeAddressText } from './address';
import { checkDestination } from './check-destination';
import { createEgress } from './egress';
import { resolvePolicy } from './policy';
import { tableLookup } from './test-support/servers';

// No allowlist and production ports in this file: these are production's verdicts.
const production = resolvePolicy();

/** One address inside every blocked range (edges included), with the reason it is blocked for. */
const BLOCKED: [address: string, reason: string][] = [
  ['0.0.0.0', 'unspecified'],
  ['0.255.255.255', 'unspecified'],
  ['10.0.0.5', 'private network'],
  ['10.255.255.255', 'private network'],
  ['100.64.0.1', 'carrier-grade NAT'],
  ['100.100.100.200', 'carrier-grade NAT'],
  ['100.127.255.255', 'carrier-grade NAT'],
  ['127.0.0.1', 'loopback'],
  ['127.255.255.254', 'loopback'],
  ['169.254.169.254', 'cloud metadata'],
  ['169.254.0.1', 'link-local'],
  ['168.63.129.16', 'cloud host-service'],
  ['172.16.0.1', 'private network'],
  ['172.31.255.255', 'private network'],
  ['192.0.0.8', 'reserved protocol'],
  ['192.0.2.1', 'documentation'],
  ['192.88.99.1', '6to4 relay'],
  ['192.168.1.1', 'private network'],
  ['198.18.0.1', 'benchmarking'],
  ['198.19.255.255', 'benchmarking'],
  ['198.51.100.7', 'documentation'],
  ['203.0.113.9', 'documentation'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['240.0.0.1', 'reserved'],
  ['255.255.255.254', 'reserved'],
  ['255.255.255.255', 'broadcast'],
  ['::', 'unspecified'],
  ['::1', 'loopback'],
  ['::127.0.0.1', 'IPv4-compatible'],
  ['::8.8.8.8', 'IPv4-compatible'],
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:7f00:1', 'loopback'],
  ['::ffff:10.0.0.1', 'private network'],
  ['::ffff:169.254.169.254', 'cloud metadata'],
  ['::ffff:0:7f00:1', 'outside the public internet'],
  ['::0:127.0.0.1', 'IPv4-compatible'],
  ['0:0:0:0:0:0:10.0.0.1', 'IPv4-compatible'],
  ['0:0:0:0:0:ffff:10.0.0.1', 'private network'],
  ['64:ff9b::10.0.0.1', 'NAT64'],
  ['64:ff9b::8.8.8.8', 'NAT64'],
  ['64:ff9b::7f00:1', 'NAT64'],
  ['64:ff9b:1::1', 'NAT64'],
  ['fc00::1', 'private network'],
  ['fd00:ec2::254', 'private network'],
  ['fe80::1', 'link-local'],
  ['ff02::1', 'multicast'],
  ['2001::1', 'Teredo'],
  ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'Teredo'],
  ['2001:db8::1', 'documentation'],
  ['2001:10::1', 'reserved protocol'],
  ['2001:1ff:ffff::1', 'reserved protocol'],
  ['2002:7f00:1::1', '6to4'],
  ['2002:808:808::1', '6to4'],
  ['3fff::1', 'documentation'],
  ['3fff:fff:ffff::1', 'documentation'],
  ['100::1', 'outside the public internet'],
  ['fec0::1', 'outside the public internet'],
  ['1000::1', 'outside the public internet'],
  ['4000::1', 'outside the public internet'],
];

/** Public addresses next to blocked ranges: blocking them would be a defect too. */
const ALLOWED: [address: string, dialled: string][] = [
  ['8.8.8.8', '8.8.8.8'],
  ['1.1.1.1', '1.1.1.1'],
  ['11.0.0.1', '11.0.0.1'],
  ['100.63.255.255', '100.63.255.255'],
  ['100.128.0.1', '100.128.0.1'],
  ['169.253.255.255', '169.253.255.255'],
  ['172.15.255.255', '172.15.255.255'],
  ['172.32.0.1', '172.32.0.1'],
  ['192.0.1.1', '192.0.1.1'],
  ['192.169.0.1', '192.169.0.1'],
  ['198.17.255.255', '198.17.255.255'],
  ['198.20.0.1', '198.20.0.1'],
  ['223.255.255.255', '223.255.255.255'],
  ['::ffff:8.8.8.8', '8.8.8.8'],
  ['2606:4700:4700::1111', '2606:4700:4700::1111'],
  ['2001:4860:4860::8888', '2001:4860:4860::8888'],
  ['2001:200::1', '2001:200::1'],
  ['2003::1', '2003::1'],
  ['3ffe::1', '3ffe::1'],
  ['3fff:1000::1', '3fff:1000::1'],
];

const literalUrl = (address: string) =>
  address.includes(':') ? `https://[${address}]/x` : `https://${address}/x`;

describe('address verdicts', () => {
  it.each(BLOCKED)('%s is blocked as %s', (address, reason) => {
    const verdict = judgeAddressText(address, production);
    expect(verdict).toMatchObject({ allowed: false });
    expect(verdict?.allowed === false && verdict.reason).toContain(reason);
  });

  it.each(ALLOWED)('%s is allowed and dialled as %s', (address, dialled) => {
    expect(judgeAddressText(address, production)).toMatchObject({ allowed: true, address: dialled });
  });

  it('only the operator allowlist opens an internal range, and only that range', () => {
    const policy = resolvePolicy({ allowCidrs: ['10.1.0.0/16', 'fd00:1::/64'] });
    expect(judgeAddressText('10.1.2.3', policy)).toMatchObject({ allowed: true });
    expect(judgeAddressText('::ffff:10.1.2.3', policy)).toMatchObject({ allowed: true, address: '10.1.2.3' });
    expect(judgeAddressText('fd00:1::5', policy)).toMatchObject({ allowed: true });
    expect(judgeAddressText('10.2.0.1', policy)).toMatchObject({ allowed: false });
    expect(judgeAddressText('fd00:2::5', policy)).toMatchObject({ allowed: false });
  });
});

describe.each([
  ['checkDestination', 'literal'],
  ['checkDestination', 'DNS answer'],
  ['egress.request', 'literal'],
  ['egress.request', 'DNS answer'],
] as const)('%s blocks every range by %s', (via, form) => {
  // A literal says why (the owner typed the address); a name that resolves there gets the one
  // "cannot be called" refusal a name that does not exist gets (no internal DNS oracle).
  const refusal =
    form === 'literal'
      ? { code: 'blocked_destination' }
      : {
          code: 'dns_failed',
          message:
            'the host name api.example.com cannot be called: it does not resolve to a public internet address',
        };

  it.each(BLOCKED)('%s', async (address) => {
    const lookup = tableLookup({ 'api.example.com': address });
    const url = form === 'literal' ? literalUrl(address) : 'https://api.example.com/x';
    if (via === 'checkDestination') {
      const result = await checkDestination(url, { lookup });
      expect(result).toMatchObject({
        allowed: false,
        code: refusal.code,
        ...(refusal.message === undefined ? {} : { reason: refusal.message }),
      });
    } else {
      // The shared verdict first: if it were wrong, the request below would dial a real,
      // non-loopback address, which no test may do.
      expect(
        await checkDestination(url, { lookup: tableLookup({ 'api.example.com': address }) }),
      ).toMatchObject({
        allowed: false,
      });
      const egress = createEgress({ lookup });
      const result = await egress.request({ method: 'GET', url });
      await egress.close();
      expect(result).toMatchObject({ ok: false, ...refusal });
    }
    expect(lookup.calls.length).toBe(form === 'literal' ? 0 : 1);
  });
});

describe('checkDestination allows public destinations', () => {
  it.each(ALLOWED)('%s by literal and by DNS answer', async (address, dialled) => {
    const literal = await checkDestination(literalUrl(address));
    expect(literal).toMatchObject({ allowed: true, addresses: [{ address: dialled }] });
    const lookup = tableLookup({ 'api.example.com': address });
    const named = await checkDestination('https://api.example.com/x', { lookup });
    expect(named).toMatchObject({ allowed: true, addresses: [{ address: dialled }] });
  });
});
