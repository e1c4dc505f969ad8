import type { TLSSocket } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkDestination } from './check-destination';
import { createEgress, type Egress } from './egress';
import type { HostOverrides } from './host-overrides';
import { describePolicy, type EgressPolicyInput, resolvePolicy } from './policy';
import { createTestPki, type TestPki } from './test-support/pki';
import { expectFailure, expectOk } from './test-support/results';
import { type HttpsTestServer, startHttpsServer, tableLookup } from './test-support/servers';

// A development host map sends `https://<name>/…` (port 443 in the URL, production's port rule
// untouched) to a loopback server on a random port. The server's certificate (test CA) names
// `*.egress.test`, `api.egress.test`, 127.0.0.1 and ::1, nothing else.
let pki: TestPki;
let upstream: HttpsTestServer;
const opened: Egress[] = [];

beforeAll(async () => {
  pki = await createTestPki();
  upstream = await startHttpsServer(pki.server, (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ host: req.headers.host, servername: (req.socket as TLSSocket).servername }));
  });
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((egress) => egress.close()));
});

afterAll(async () => {
  await upstream?.close();
});

function overrides(): HostOverrides {
  return {
    'mapped.egress.test': { address: '127.0.0.1', port: upstream.port },
    // Reaches the same server, whose certificate does not name this host.
    'sandbox.elsewhere.test': { address: '127.0.0.1', port: upstream.port },
    'private.egress.test': { address: '10.0.0.5', port: upstream.port },
  };
}

/** Production's policy (port 443 only, no allowlist) plus the overrides. */
function policy(extra: EgressPolicyInput = {}): EgressPolicyInput {
  return {
    hostOverrides: overrides(),
    connectTimeoutMs: 1_000,
    headersTimeoutMs: 1_000,
    totalTimeoutMs: 2_000,
    ...extra,
  };
}

const lookup = () => tableLookup({ 'api.egress.test': '127.0.0.1' });

function egressWith(options: { policy: EgressPolicyInput; lookup?: ReturnType<typeof lookup> }): Egress {
  const egress = createEgress({ ...options, ca: pki.ca.cert });
  opened.push(egress);
  return egress;
}

describe('host overrides in egress', () => {
  it('dials the mapped address and port for a URL on port 443, with the name as Host and SNI', async () => {
    const names = lookup();
    const egress = egressWith({ policy: policy(), lookup: names });
    expect(egress.policy.allowedPorts).toEqual([443]);
    const before = upstream.connections;
    const result = expectOk(await egress.request({ method: 'GET', url: 'https://mapped.egress.test/who' }));
    expect(result.status).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ host: 'mapped.egress.test', servername: 'mapped.egress.test' });
    expect(upstream.connections).toBe(before + 1);
    // The override replaces the lookup: no DNS question is asked for the name.
    expect(names.calls).toEqual([]);
  });

  it('verifies the certificate for the mapped host name, not for the address dialled', async () => {
    const egress = egressWith({ policy: policy() });
    const before = upstream.connections;
    // The certificate names 127.0.0.1 but not sandbox.elsewhere.test: the call must fail.
    const result = expectFailure(
      await egress.request({ method: 'GET', url: 'https://sandbox.elsewhere.test/who' }),
    );
    expect(result.code).toBe('tls_failed');
    expect(upstream.connections).toBe(before + 1);
  });

  it('leaves names not in the map alone: looked up, dialled at the URL port', async () => {
    const names = lookup();
    const egress = egressWith({
      policy: policy({ allowedPorts: [443, upstream.port], allowCidrs: ['127.0.0.1/32'] }),
      lookup: names,
    });
    const result = expectOk(
      await egress.request({ method: 'GET', url: `https://api.egress.test:${upstream.port}/who` }),
    );
    expect(JSON.parse(result.body)).toEqual({
      host: `api.egress.test:${upstream.port}`,
      servername: 'api.egress.test',
    });
    expect(names.calls).toEqual(['api.egress.test']);

    // Port 443, not mapped: the lookup decides (and this one knows no such name).
    const unknown = expectFailure(await egress.request({ method: 'GET', url: 'https://other.egress.test/' }));
    expect(unknown.code).toBe('dns_failed');
    expect(names.calls).toEqual(['api.egress.test', 'other.egress.test']);
  });

  it('still applies the port rule to the URL of a mapped name', async () => {
    const egress = egressWith({ policy: policy() });
    const before = upstream.connections;
    const result = expectFailure(
      await egress.request({ method: 'GET', url: `https://mapped.egress.test:${upstream.port}/who` }),
    );
    expect(result.code).toBe('blocked_destination');
    expect(result.message).toContain(`port ${upstream.port} is not allowed`);
    expect(upstream.connections).toBe(before);
  });

  it('admits the mapped address for that name only: every other way to it stays blocked', async () => {
    // No allowlist: the entry alone lets mapped.egress.test reach its loopback address…
    const names = tableLookup({ 'api.egress.test': '127.0.0.1' });
    const egress = egressWith({
      policy: policy({ allowedPorts: [443, upstream.port] }),
      lookup: names,
    });
    expect(egress.policy.allowCidrs).toEqual([]);
    expectOk(await egress.request({ method: 'GET', url: 'https://mapped.egress.test/who' }));
    const before = upstream.connections;
    // …while the same address by IP, in other spellings, or through another name is refused.
    for (const url of [
      'https://127.0.0.1/',
      `https://127.0.0.1:${upstream.port}/`,
      'https://[::ffff:127.0.0.1]/',
      'https://[::1]/',
      'https://2130706433/',
    ]) {
      expect(expectFailure(await egress.request({ method: 'GET', url })).code).toBe('blocked_destination');
    }
    expect(
      expectFailure(
        await egress.request({ method: 'GET', url: `https://api.egress.test:${upstream.port}/` }),
      ),
    ).toMatchObject({ code: 'dns_failed', message: expect.stringContaining('cannot be called') });
    expect(names.calls).toEqual(['api.egress.test']);
    // An entry mapping a private address reaches nothing else either (10.0.0.5 is not dialled by IP).
    expect(expectFailure(await egress.request({ method: 'GET', url: 'https://10.0.0.5/' })).code).toBe(
      'blocked_destination',
    );
    expect(upstream.connections).toBe(before);
  });
});

describe('host overrides in checkDestination', () => {
  it('names the address and port egress will dial', async () => {
    const names = lookup();
    expect(
      await checkDestination('https://mapped.egress.test/x', { policy: policy(), lookup: names }),
    ).toEqual({
      allowed: true,
      url: 'https://mapped.egress.test/x',
      addresses: [{ address: '127.0.0.1', family: 4 }],
      port: upstream.port,
    });
    expect(names.calls).toEqual([]);
  });

  it('agrees with egress: the mapped address for the name, the URL port rule, nothing else', async () => {
    expect(await checkDestination('https://private.egress.test/x', { policy: policy() })).toMatchObject({
      allowed: true,
      addresses: [{ address: '10.0.0.5', family: 4 }],
    });
    expect(
      await checkDestination(`https://mapped.egress.test:${upstream.port}/x`, { policy: policy() }),
    ).toMatchObject({ allowed: false, code: 'blocked_destination' });
    expect(await checkDestination('https://127.0.0.1/x', { policy: policy() })).toMatchObject({
      allowed: false,
      code: 'blocked_destination',
    });
  });

  it('looks up names not in the map as before', async () => {
    const names = lookup();
    expect(
      await checkDestination('https://api.egress.test/x', {
        policy: policy({ allowCidrs: ['127.0.0.1/32'] }),
        lookup: names,
      }),
    ).toEqual({
      allowed: true,
      url: 'https://api.egress.test/x',
      addresses: [{ address: '127.0.0.1', family: 4 }],
      port: 443,
    });
    expect(names.calls).toEqual(['api.egress.test']);
  });
});

describe('host overrides in the policy', () => {
  it('are none by default, and a widening when set', () => {
    expect(resolvePolicy().hostOverrideTable).toBeNull();
    const description = describePolicy({
      hostOverrides: { 'Sandbox.Aihio.Test.': { address: '127.0.0.1', port: 8443 } },
    });
    expect(description.widened).toBe(true);
    expect(description.widenings).toEqual(['host names are mapped: sandbox.aihio.test → 127.0.0.1:8443']);
    expect(description.summary).toContain('host map sandbox.aihio.test → 127.0.0.1:8443');
  });

  it('default to port 443 and accept an IPv6 address in brackets', () => {
    const table = resolvePolicy({
      hostOverrides: {
        'a.example.test': { address: '203.0.113.9' },
        'b.example.test': { address: '[::1]', port: 9 },
      },
    }).hostOverrideTable;
    expect([...(table ?? [])]).toEqual([
      ['a.example.test', { address: '203.0.113.9', family: 4, port: 443 }],
      ['b.example.test', { address: '::1', family: 6, port: 9 }],
    ]);
  });

  it.each([
    ['127.0.0.1', { address: '127.0.0.1' }, /not a host name/],
    ['sandbox', { address: '127.0.0.1' }, /not a host name with a dot/],
    ['bad_name.test', { address: '127.0.0.1' }, /not a host name/],
    ['localhost', { address: '127.0.0.1' }, /not a host name|local names/],
    ['app.localhost', { address: '127.0.0.1' }, /local names stay blocked/],
    ['a.example.test', { address: 'sandbox.host' }, /not an IP address/],
    ['a.example.test', { address: '169.254.169.254' }, /cloud metadata addresses are never reachable/],
    [
      'a.example.test',
      { address: '::ffff:169.254.169.254' },
      /cannot map "a.example.test" to 169.254.169.254/,
    ],
    ['a.example.test', { address: 'fd00:ec2::254' }, /never reachable/],
    ['a.example.test', { address: '0.0.0.0' }, /never reachable/],
    ['a.example.test', { address: '224.0.0.1' }, /never reachable/],
    ['a.example.test', { address: '127.0.0.1', port: 0 }, /invalid port 0/],
    ['a.example.test', { address: '127.0.0.1', port: 70_000 }, /invalid port 70000/],
  ])('refuses %s → %o', (name, override, message) => {
    expect(() => resolvePolicy({ hostOverrides: { [name]: override } })).toThrow(message);
  });
});
