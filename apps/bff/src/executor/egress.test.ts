import { Writable } from 'node:stream';
import { type DnsResponder, startDnsResponder } from '@aihio/egress/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { createLogger } from '../http/logger';
import { startUpstream, type Upstream } from '../test-support/upstream';
import { createBffEgress } from './egress';

// The egress start.ts builds from the BFF's configuration resolves through the name servers of
// AIHIO_EGRESS_DNS_SERVERS: here a real name server on loopback UDP that answers one name with
// the test upstream's address. No lookup is injected: it is the default resolver (c-ares).
let upstream: Upstream;
let responder: DnsResponder;

beforeAll(async () => {
  upstream = await startUpstream();
  responder = await startDnsResponder({ names: { 'dns.bff.test': { A: [upstream.address] } } });
});
afterAll(async () => {
  await Promise.all([upstream?.close(), responder?.close()]);
});

describe('the BFF egress from configuration', () => {
  it('resolves through AIHIO_EGRESS_DNS_SERVERS and logs what a refusal hides', async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      AIHIO_AUTH_MODE: 'jwt',
      AIHIO_JWT_SECRET: 'test-session-secret-that-is-long-enough-0123456789',
      AIHIO_EGRESS_DNS_SERVERS: responder.server,
      // The answer is the loopback upstream: allowlisted, and its port allowed, for this test only.
      AIHIO_EGRESS_ALLOWLIST: `${upstream.address}/32`,
      AIHIO_EGRESS_PORTS: String(upstream.port),
    });
    expect(config.egress.dnsServers).toEqual([responder.server]);
    const logs: string[] = [];
    const logger = createLogger({
      level: 'info',
      destination: new Writable({
        write(chunk: Buffer, _encoding, callback) {
          logs.push(chunk.toString('utf8'));
          callback();
        },
      }),
    });
    const egress = createBffEgress(config.egress, logger, { ca: upstream.ca });
    try {
      const before = upstream.requests.length;
      const answered = await egress.request(
        { method: 'GET', url: `https://dns.bff.test:${upstream.port}/orders/1` },
        { key: 'ws-a' },
      );
      expect(answered).toMatchObject({ ok: true, status: 200 });
      expect(upstream.requests.length).toBe(before + 1);
      expect(responder.questions).toContainEqual({ name: 'dns.bff.test', type: 'A' });

      const missing = await egress.request(
        { method: 'GET', url: `https://nowhere.bff.test:${upstream.port}/` },
        { key: 'ws-a' },
      );
      expect(missing).toMatchObject({
        ok: false,
        code: 'dns_failed',
        message:
          'the host name nowhere.bff.test cannot be called: it does not resolve to a public internet address',
      });
      expect(responder.questions).toContainEqual({ name: 'nowhere.bff.test', type: 'A' });
      const logged = logs
        .map((line) => JSON.parse(line))
        .find((line) => line.msg === 'egress refused a call');
      expect(logged?.egress).toEqual({
        workspaceId: 'ws-a',
        hostname: 'nowhere.bff.test',
        code: 'dns_failed',
        detail: 'nowhere.bff.test: no such name (ENOTFOUND)',
      });
    } finally {
      await egress.close();
    }
  });
});
