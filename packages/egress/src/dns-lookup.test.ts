import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDnsLookup, parseDnsServer } from './dns-lookup';
import { type DnsResponder, startDnsResponder } from './test-support/dns-responder';

// The default lookup against a real name server on loopback UDP (test-support/dns-responder.ts):
// real c-ares queries, real packets, real timeouts for the zone that never answers.
let responder: DnsResponder;

beforeAll(async () => {
  responder = await startDnsResponder({
    names: {
      'api.good.test': { A: ['203.0.113.10', '203.0.113.11'], AAAA: ['2001:db8::10'] },
      'v4.good.test': { A: ['203.0.113.12'] },
      'empty.good.test': {},
    },
    silent: ['silent.test'],
  });
});
afterAll(async () => {
  await responder?.close();
});

const asked = (name: string) => responder.questions.filter((question) => question.name === name);

describe('createDnsLookup (c-ares)', () => {
  it('asks A and AAAA and joins the answers, IPv4 first', async () => {
    const lookup = createDnsLookup({ servers: [responder.server], timeoutMs: 3_000 });
    expect(await lookup('api.good.test')).toEqual([
      { address: '203.0.113.10', family: 4 },
      { address: '203.0.113.11', family: 4 },
      { address: '2001:db8::10', family: 6 },
    ]);
    expect(await lookup('v4.good.test')).toEqual([{ address: '203.0.113.12', family: 4 }]);
    expect(
      asked('api.good.test')
        .map((q) => q.type)
        .sort(),
    ).toEqual(['A', 'AAAA']);
  });

  it('fails with ENOTFOUND for a name that does not exist or has no address', async () => {
    const lookup = createDnsLookup({ servers: [responder.server], timeoutMs: 3_000 });
    await expect(lookup('missing.good.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(lookup('empty.good.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });

  it('ends a query to a silent zone with ETIMEOUT after its tries, then remembers the failure', async () => {
    const lookup = createDnsLookup({ servers: [responder.server], timeoutMs: 500, negativeCacheMs: 60_000 });
    await expect(lookup('a.silent.test')).rejects.toMatchObject({ code: 'ETIMEOUT' });
    // Two tries for each of A and AAAA, then c-ares gave up: the query truly ended.
    expect(asked('a.silent.test')).toHaveLength(4);
    // Asked again within the negative-cache time: the same failure, no new question.
    await expect(lookup('a.silent.test')).rejects.toMatchObject({ code: 'ETIMEOUT' });
    await expect(lookup('missing2.good.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(lookup('missing2.good.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    expect(asked('a.silent.test')).toHaveLength(4);
    expect(asked('missing2.good.test')).toHaveLength(2);
  });

  it('shares one pair of queries between concurrent lookups of a name', async () => {
    const lookup = createDnsLookup({ servers: [responder.server], timeoutMs: 3_000 });
    const answers = await Promise.all([
      lookup('v4.good.test'),
      lookup('v4.good.test'),
      lookup('v4.good.test'),
    ]);
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
    const before = asked('v4.good.test').length;
    await lookup('v4.good.test');
    // Not cached once answered: a later connection asks again.
    expect(asked('v4.good.test').length).toBe(before + 2);
  });

  it('cancel ends the queries in flight', async () => {
    const lookup = createDnsLookup({ servers: [responder.server], timeoutMs: 60_000 });
    const pending = lookup('b.silent.test');
    while (asked('b.silent.test').length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    lookup.cancel();
    await expect(pending).rejects.toMatchObject({ code: 'ECANCELLED' });
  });
});

describe('parseDnsServer', () => {
  it.each([
    ['203.0.113.53', '203.0.113.53'],
    ['203.0.113.53:5353', '203.0.113.53:5353'],
    ['2001:db8::53', '[2001:db8::53]'],
    ['[2001:db8::53]', '[2001:db8::53]'],
    ['[2001:db8::53]:53', '[2001:db8::53]:53'],
  ])('accepts %s', (text, parsed) => {
    expect(parseDnsServer(text)).toBe(parsed);
  });

  it.each(['dns.example.com', '203.0.113.53:0', '203.0.113.53:70000', '[203.0.113.53]', '1.2.3', ''])(
    'refuses %s',
    (text) => {
      expect(parseDnsServer(text)).toBeNull();
    },
  );
});
