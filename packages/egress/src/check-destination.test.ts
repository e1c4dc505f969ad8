import { describe, expect, it } from 'vitest';
import { checkDestination } from './check-destination';
import { tableLookup } from './test-support/servers';

const PUBLIC = '93.184.216.34';

describe('URLs refused before any lookup', () => {
  it.each([
    ['http://api.example.com/', 'invalid_url', 'only https'],
    ['ftp://api.example.com/', 'invalid_url', 'only https'],
    ['https://user:secret@api.example.com/', 'invalid_url', 'user name or password'],
    ['https://user@api.example.com/', 'invalid_url', 'user name or password'],
    ['https://@api.example.com/', 'invalid_url', 'user name or password'],
    ['https://:@api.example.com/', 'invalid_url', 'user name or password'],
    ['https://api.example.com\\@evil.example/', 'invalid_url', 'backslash'],
    ['https://api.example.com/a b', 'invalid_url', 'space'],
    ['https://api.example.com/\t', 'invalid_url', 'control character'],
    ['https://api.exa\nmple.com/', 'invalid_url', 'control character'],
    [' https://api.example.com/', 'invalid_url', 'space'],
    ['https://api.example.com/\u0000', 'invalid_url', 'control character'],
    ['https://api.example.com/\u00a0', 'invalid_url', 'space'],
    ['https://api.example.com/\u0085', 'invalid_url', 'control character'],
    ['not a url', 'invalid_url', ''],
    ['https://', 'invalid_url', ''],
    ['', 'invalid_url', 'empty'],
    ['https://api.example.com:8443/', 'blocked_destination', 'port 8443'],
    ['https://api.example.com:80/', 'blocked_destination', 'port 80'],
    ['https://localhost/', 'blocked_destination', 'localhost'],
    ['https://LOCALHOST./', 'blocked_destination', 'localhost'],
    ['https://localhost../', 'blocked_destination', 'localhost'],
    ['https://api.localhost/', 'blocked_destination', 'api.localhost'],
    ['https://a.b.localhost/', 'blocked_destination', 'a.b.localhost'],
    ['https://%6c%6f%63%61%6c%68%6f%73%74/', 'blocked_destination', 'localhost'],
    ['https://metadata.google.internal/computeMetadata/v1/', 'blocked_destination', 'metadata'],
    ['https://METADATA.GOOGLE.INTERNAL./', 'blocked_destination', 'metadata'],
    ['https://intranet/', 'blocked_destination', 'no dot'],
    ['https://metadata/', 'blocked_destination', 'no dot'],
  ])('%j → %s', async (url, code, says) => {
    const lookup = tableLookup({});
    const result = await checkDestination(url, { lookup });
    expect(result).toMatchObject({ allowed: false, code });
    if (!result.allowed) expect(result.reason).toContain(says);
    expect(lookup.calls).toEqual([]);
  });

  it('never repeats a password from the URL in its reason', async () => {
    const result = await checkDestination('https://user:hunter2@api.example.com/');
    expect(result.allowed).toBe(false);
    expect(JSON.stringify(result)).not.toContain('hunter2');
  });
});

describe('odd IPv4 spellings', () => {
  const SPELLINGS = [
    '0x7f.1',
    '2130706433',
    '017700000001',
    '127.1',
    '0177.0.0.1',
    '0x7f000001',
    '127.0.0.1.',
  ];

  it.each(SPELLINGS)(
    'https://%s/ is normalized by the URL parser and blocked without a lookup',
    async (host) => {
      const lookup = tableLookup({});
      const result = await checkDestination(`https://${host}/`, { lookup });
      expect(result).toMatchObject({ allowed: false, code: 'blocked_destination' });
      if (!result.allowed) expect(result.reason).toContain('127.0.0.1');
      expect(lookup.calls).toEqual([]);
      // The default resolver's path is blocked the same way, before any question is sent.
      expect(await checkDestination(`https://${host}/`)).toMatchObject({ allowed: false });
    },
  );
});

describe('legitimate URLs are not over-blocked', () => {
  it.each([
    ['https://api.example.com/orders/1?x=1', 'https://api.example.com/orders/1?x=1', 'api.example.com'],
    ['https://api.example.com./v1', 'https://api.example.com./v1', 'api.example.com'],
    ['https://api.example.com:0443/v1', 'https://api.example.com/v1', 'api.example.com'],
    ['https://API.Example.COM/Path', 'https://api.example.com/Path', 'api.example.com'],
    ['https://bücher.example/', 'https://xn--bcher-kva.example/', 'xn--bcher-kva.example'],
    ['https://api.example.com/search?q=%20a', 'https://api.example.com/search?q=%20a', 'api.example.com'],
  ])('%s', async (url, normalized, looked) => {
    const lookup = tableLookup({ [looked]: PUBLIC });
    const result = await checkDestination(url, { lookup });
    expect(result).toEqual({
      allowed: true,
      url: normalized,
      addresses: [{ address: PUBLIC, family: 4 }],
      port: 443,
    });
    expect(lookup.calls).toEqual([looked]);
  });

  it('accepts an IPv4-mapped public address and dials it as IPv4', async () => {
    expect(await checkDestination('https://[::ffff:8.8.8.8]/')).toMatchObject({
      allowed: true,
      addresses: [{ address: '8.8.8.8', family: 4 }],
    });
  });

  it('returns every checked answer', async () => {
    const lookup = tableLookup({ 'api.example.com': [PUBLIC, '2606:4700:4700::1111'] });
    const result = await checkDestination('https://api.example.com/', { lookup });
    expect(result).toMatchObject({
      allowed: true,
      addresses: [
        { address: PUBLIC, family: 4 },
        { address: '2606:4700:4700::1111', family: 6 },
      ],
    });
  });

  it('a widened port list lets that port through', async () => {
    const lookup = tableLookup({ 'api.example.com': PUBLIC });
    const result = await checkDestination('https://api.example.com:8443/', {
      lookup,
      policy: { allowedPorts: [443, 8443] },
    });
    expect(result).toMatchObject({ allowed: true });
  });
});

describe('lookup failures', () => {
  const NOT_PUBLIC =
    'the host name api.example.com cannot be called: it does not resolve to a public internet address';

  // One reason for every answer that rules the name out, so the refusal cannot be used to tell an
  // internal name from a name that does not exist; the detail (the operator's log) tells them apart.
  it.each([
    ['a name that does not exist', tableLookup({}), 'no such name (ENOTFOUND)'],
    ['no answers', async () => [], 'no addresses'],
    [
      'an answer that is not an address',
      async () => [{ address: 'not-an-ip', family: 4 as const }],
      'not an address',
    ],
    [
      'a loopback answer',
      tableLookup({ 'api.example.com': '127.0.0.1' }),
      'resolves to 127.0.0.1, a loopback',
    ],
    ['a private answer', tableLookup({ 'api.example.com': '10.1.2.3' }), 'resolves to 10.1.2.3, a private'],
    [
      'the metadata address',
      tableLookup({ 'api.example.com': '169.254.169.254' }),
      'resolves to 169.254.169.254, the cloud metadata',
    ],
    [
      'a public and a private answer',
      tableLookup({ 'api.example.com': [PUBLIC, 'fd00::1'] }),
      'resolves to fd00::1, a private',
    ],
  ])('%s → dns_failed, "cannot be called", the detail kept for the log', async (_name, lookup, detail) => {
    const result = await checkDestination('https://api.example.com/', { lookup });
    expect(result).toEqual({
      allowed: false,
      code: 'dns_failed',
      reason: NOT_PUBLIC,
      detail: expect.stringContaining(detail),
    });
  });

  it.each([
    [
      'a lookup that never answers',
      () => new Promise<never>(() => {}),
      'could not be resolved within 50 ms; try again later',
    ],
    [
      'a server failure',
      async () => Promise.reject(Object.assign(new Error('x'), { code: 'ESERVFAIL' })),
      'could not be resolved; try again later',
    ],
  ])('%s → dns_failed saying to try again (it says nothing of the name)', async (_name, lookup, says) => {
    const result = await checkDestination('https://api.example.com/', {
      lookup,
      policy: { lookupTimeoutMs: 50 },
    });
    expect(result).toMatchObject({ allowed: false, code: 'dns_failed' });
    if (!result.allowed) expect(result.reason).toContain(says);
  });

  it('an IP URL still says why it is refused: the owner typed the address', async () => {
    expect(await checkDestination('https://10.1.2.3/')).toMatchObject({
      allowed: false,
      code: 'blocked_destination',
      reason: 'the address 10.1.2.3 is a private network address, which actions may not call',
    });
  });
});
