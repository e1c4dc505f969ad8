import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

const KEY = Buffer.alloc(32, 7).toString('base64');
const SECRET = 'a-session-secret-of-at-least-32-characters';

function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected loadConfig to refuse');
}

/** What `npm start` and the demo say explicitly: a development start with dev auth. */
const DEV = { NODE_ENV: 'development', AIHIO_AUTH_MODE: 'dev' };

describe('loadConfig', () => {
  it('has development defaults when the start says development: loopback, SQLite under ./data, production egress policy', () => {
    const config = loadConfig(DEV);
    expect(config).toMatchObject({
      nodeEnv: 'development',
      port: 8787,
      host: '127.0.0.1',
      databaseUrl: null,
      masterKey: null,
      auth: { mode: 'dev' },
      corsOrigins: [],
      egress: { allowedPorts: [443], allowCidrs: [], hostOverrides: {} },
      invokeBodyBudget: 16 * 1024,
    });
    expect(config.dataDir.endsWith('/data')).toBe(true);
  });

  describe('secure by default: an unset NODE_ENV is production', () => {
    it('refuses an empty environment, naming what production needs and how to start development', () => {
      const message = refusal({});
      expect(message).toContain('NODE_ENV is unset');
      expect(message).toMatch(/AIHIO_AUTH_MODE=jwt \(the default\) needs AIHIO_JWT_SECRET/);
      expect(message).toContain('NODE_ENV=development and AIHIO_AUTH_MODE=dev');
      expect(message).toMatch(/AIHIO_MASTER_KEY is required when NODE_ENV is unset/);
    });

    it('never falls back to dev auth: AIHIO_JWT_SECRET set and NODE_ENV unset is jwt auth', () => {
      const config = loadConfig({ AIHIO_JWT_SECRET: SECRET, AIHIO_MASTER_KEY: KEY });
      expect(config.nodeEnv).toBe('production');
      expect(config.auth.mode).toBe('jwt');
      // Nor in development: dev auth is only ever asked for by name.
      expect(loadConfig({ NODE_ENV: 'development', AIHIO_JWT_SECRET: SECRET }).auth.mode).toBe('jwt');
      expect(refusal({ NODE_ENV: 'development' })).toContain('AIHIO_JWT_SECRET');
    });

    it.each([
      [{ AIHIO_AUTH_MODE: 'dev' }, 'AIHIO_ALLOW_INSECURE=dev-auth'],
      [{ AIHIO_EGRESS_ALLOWLIST: '10.0.0.0/8' }, 'AIHIO_ALLOW_INSECURE=egress-allowlist'],
      [{ AIHIO_EGRESS_PORTS: '8443' }, 'AIHIO_ALLOW_INSECURE=egress-ports'],
      [{ AIHIO_DEV_HOST_MAP: 'sandbox.aihio.test=127.0.0.1:8443' }, 'AIHIO_DEV_HOST_MAP sends'],
      [
        { AIHIO_JWKS_URL: 'http://idp.example.com/jwks.json', AIHIO_JWT_SECRET: '' },
        'AIHIO_ALLOW_INSECURE=jwks-http',
      ],
      [{ AIHIO_CORS_ORIGINS: 'http://dash.example.com' }, 'AIHIO_ALLOW_INSECURE=cors-http'],
    ])('applies every production refusal with NODE_ENV unset: %j', (extra, message) => {
      const text = refusal({ AIHIO_JWT_SECRET: SECRET, AIHIO_MASTER_KEY: KEY, ...extra });
      expect(text).toContain(message);
      expect(text).toContain('NODE_ENV is unset');
    });

    it('lets an explicit development start through, listing each production refusal it skipped', () => {
      const config = loadConfig({
        ...DEV,
        AIHIO_EGRESS_ALLOWLIST: '127.0.0.1/32',
        AIHIO_CORS_ORIGINS: 'http://127.0.0.1:5173',
      });
      expect(config.developmentOnly).toEqual([
        expect.stringContaining('AIHIO_AUTH_MODE=dev'),
        expect.stringContaining('AIHIO_MASTER_KEY is required'),
        expect.stringContaining('AIHIO_CORS_ORIGINS has plain http://'),
        expect.stringContaining('AIHIO_EGRESS_ALLOWLIST'),
      ]);
      expect(
        loadConfig({ NODE_ENV: 'production', AIHIO_JWT_SECRET: SECRET, AIHIO_MASTER_KEY: KEY })
          .developmentOnly,
      ).toEqual([]);
    });

    it('refuses a NODE_ENV it does not know rather than guessing a mode', () => {
      expect(refusal({ NODE_ENV: 'staging', AIHIO_JWT_SECRET: SECRET, AIHIO_MASTER_KEY: KEY })).toContain(
        'NODE_ENV',
      );
    });
  });

  describe('AIHIO_JWT_SECRET strength (every mode)', () => {
    it.each([
      ['one repeated letter', 'x'.repeat(40)],
      ['a repeated word', 'password'.repeat(5)],
      ['a repeated digit run', '0123456789'.repeat(4)],
      ['two letters', 'ab'.repeat(24)],
      ['too short', 'Zq8#tL2!'],
      ['128 random bits in hex (RFC 7518 asks 256 for HS256)', 'bc9a5e1f99281bf07325bdca46f3f524'],
    ])('refuses %s without echoing it', (_name, secret) => {
      const envs: Record<string, string>[] = [DEV, { NODE_ENV: 'production', AIHIO_MASTER_KEY: KEY }];
      for (const env of envs) {
        const message = refusal({ ...env, AIHIO_JWT_SECRET: secret });
        expect(message).toContain('AIHIO_JWT_SECRET');
        expect(message).toContain('openssl rand -base64 32');
        expect(message).not.toContain(secret);
      }
    });

    it('accepts random secrets of 32 bytes and a long passphrase', () => {
      for (const secret of [
        randomBytes(32).toString('base64'),
        randomBytes(32).toString('hex'),
        randomBytes(24).toString('base64url'),
        SECRET,
      ]) {
        expect(
          loadConfig({ NODE_ENV: 'production', AIHIO_MASTER_KEY: KEY, AIHIO_JWT_SECRET: secret }).auth,
        ).toMatchObject({
          mode: 'jwt',
          secret,
        });
      }
    });
  });

  it('reads the session lifetime (default 24 hours) and bounds it', () => {
    const base = { NODE_ENV: 'production', AIHIO_MASTER_KEY: KEY, AIHIO_JWT_SECRET: SECRET };
    expect(loadConfig(base).auth).toMatchObject({ maxLifetimeS: 86_400 });
    expect(loadConfig({ ...base, AIHIO_SESSION_MAX_LIFETIME_S: '900' }).auth).toMatchObject({
      maxLifetimeS: 900,
    });
    expect(refusal({ ...base, AIHIO_SESSION_MAX_LIFETIME_S: '10' })).toContain(
      'AIHIO_SESSION_MAX_LIFETIME_S',
    );
  });

  it('parses every variable it documents', () => {
    const config = loadConfig({
      NODE_ENV: 'development',
      PORT: '9000',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://u@127.0.0.1:5432/db',
      AIHIO_MASTER_KEY: KEY,
      AIHIO_AUTH_MODE: 'jwt',
      AIHIO_JWT_SECRET: SECRET,
      AIHIO_JWT_ISSUER: 'host-app',
      AIHIO_JWT_AUDIENCE: 'aihio',
      AIHIO_CORS_ORIGINS: 'https://dash.example.com, http://localhost:5173',
      AIHIO_EGRESS_ALLOWLIST: '10.0.0.0/8',
      AIHIO_EGRESS_PORTS: '8443',
      AIHIO_EGRESS_DNS_SERVERS: '10.0.0.2, 10.0.0.3:5353, [2001:db8::53]:53',
      AIHIO_TEST_RATE_LIMIT: '5',
      AIHIO_RUN_RETENTION: '10',
    });
    expect(config).toMatchObject({
      port: 9000,
      host: '0.0.0.0',
      databaseUrl: 'postgres://u@127.0.0.1:5432/db',
      masterKey: KEY,
      auth: { mode: 'jwt', secret: SECRET, jwksUrl: null, issuer: 'host-app', audience: 'aihio' },
      corsOrigins: ['https://dash.example.com', 'http://localhost:5173'],
      egress: {
        allowedPorts: [443, 8443],
        allowCidrs: ['10.0.0.0/8'],
        dnsServers: ['10.0.0.2', '10.0.0.3:5353', '[2001:db8::53]:53'],
      },
      testRateLimit: { limit: 5, windowMs: 60_000 },
      runRetentionPerAction: 10,
    });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ AIHIO_MASTER_KEY: 'too-short' }, 'AIHIO_MASTER_KEY'],
    [{ AIHIO_AUTH_MODE: 'none' }, 'AIHIO_AUTH_MODE'],
    [{ AIHIO_JWT_SECRET: 'short' }, 'AIHIO_JWT_SECRET'],
    [{ AIHIO_CORS_ORIGINS: 'not a url' }, 'AIHIO_CORS_ORIGINS'],
    [{ AIHIO_EGRESS_ALLOWLIST: '10.0.0.0' }, 'AIHIO_EGRESS_ALLOWLIST'],
    [{ AIHIO_EGRESS_DNS_SERVERS: 'dns.example.com' }, 'AIHIO_EGRESS_DNS_SERVERS'],
    [{ AIHIO_EGRESS_DNS_SERVERS: '10.0.0.2:99999' }, 'AIHIO_EGRESS_DNS_SERVERS'],
    [{ AIHIO_EGRESS_PORTS: '443,x' }, 'AIHIO_EGRESS_PORTS'],
    [{ AIHIO_DEV_HOST_MAP: 'sandbox.aihio.test' }, 'AIHIO_DEV_HOST_MAP'],
    [{ AIHIO_ALLOW_INSECURE: 'everything' }, 'AIHIO_ALLOW_INSECURE'],
    [{ AIHIO_AUTH_MODE: 'jwt' }, 'AIHIO_JWT_SECRET'],
  ])('a bad value stops the start naming the variable: %j', (env, variable) => {
    expect(refusal({ NODE_ENV: 'development', ...env })).toContain(variable);
  });

  it('never echoes a bad master key', () => {
    const bad = 'c2VjcmV0LWJ1dC13cm9uZy1sZW5ndGg=';
    expect(refusal({ ...DEV, AIHIO_MASTER_KEY: bad })).not.toContain(bad);
  });

  it('refuses dev auth on a non-loopback HOST even outside production, unless acknowledged', () => {
    expect(refusal({ ...DEV, HOST: '0.0.0.0' })).toMatch(
      /AIHIO_AUTH_MODE=dev.*HOST=0\.0\.0\.0.*AIHIO_ALLOW_INSECURE=dev-auth/s,
    );
    expect(refusal({ NODE_ENV: 'test', HOST: '192.168.1.20', AIHIO_AUTH_MODE: 'dev' })).toMatch(/HOST=192/);
    expect(loadConfig({ ...DEV, HOST: '0.0.0.0', AIHIO_ALLOW_INSECURE: 'dev-auth' }).auth.mode).toBe('dev');
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost']) {
      expect(loadConfig({ ...DEV, HOST: host }).auth.mode).toBe('dev');
    }
  });

  describe('AIHIO_DEV_HOST_MAP', () => {
    it('maps host names to an address and port for egress (443 when left out)', () => {
      const config = loadConfig({
        ...DEV,
        AIHIO_DEV_HOST_MAP:
          'sandbox.aihio.test=127.0.0.1:8443, Other.Example.TEST=[::1]:9443,plain.test=127.0.0.2',
      });
      expect(config.egress.hostOverrides).toEqual({
        'sandbox.aihio.test': { address: '127.0.0.1', port: 8443 },
        'other.example.test': { address: '::1', port: 9443 },
        'plain.test': { address: '127.0.0.2', port: 443 },
      });
      // The URL port rule is unchanged: the map is no port widening.
      expect(config.egress.allowedPorts).toEqual([443]);
      expect(
        loadConfig({ ...DEV, NODE_ENV: 'test', AIHIO_DEV_HOST_MAP: 'a.test=127.0.0.1:1' }).egress
          .hostOverrides,
      ).toEqual({
        'a.test': { address: '127.0.0.1', port: 1 },
      });
    });

    it.each([
      [
        'sandbox.aihio.test',
        /"sandbox\.aihio\.test" is not name=address:port.*sandbox\.aihio\.test=127\.0\.0\.1:8443/,
      ],
      ['sandbox.aihio.test=127.0.0.1:', /is not name=address:port/],
      ['sandbox.aihio.test=::1:8443', /IPv6 address in brackets/],
      ['sandbox.aihio.test=sandbox.host:8443', /is not name=address:port/],
      ['a.test=127.0.0.1:1,A.test=127.0.0.1:2', /"a\.test" is mapped twice/],
      ['sandbox.aihio.test=127.0.0.1:70000', /invalid port 70000/],
      ['sandbox.aihio.test=999.0.0.1:8443', /not an IP address/],
      ['sandbox=127.0.0.1:8443', /not a host name with a dot/],
      ['127.0.0.2=127.0.0.1:8443', /not a host name/],
      ['app.localhost=127.0.0.1:8443', /local names stay blocked/],
      ['__proto__=127.0.0.1:8443', /"__proto__", which is not a host name/],
      ['constructor=127.0.0.1:8443', /"constructor", which is not a host name/],
    ])('refuses %s, naming the variable', (value, message) => {
      const text = refusal({ ...DEV, AIHIO_DEV_HOST_MAP: value });
      expect(text).toContain('AIHIO_DEV_HOST_MAP');
      expect(text).toMatch(message);
    });
  });

  describe('production', () => {
    const secure = { NODE_ENV: 'production', AIHIO_MASTER_KEY: KEY, AIHIO_JWT_SECRET: SECRET };

    it('starts with a master key and jwt auth (the default there)', () => {
      expect(loadConfig(secure).auth.mode).toBe('jwt');
    });

    it('refuses dev auth unless acknowledged', () => {
      expect(refusal({ ...secure, AIHIO_AUTH_MODE: 'dev' })).toMatch(
        /AIHIO_AUTH_MODE=dev.*AIHIO_ALLOW_INSECURE=dev-auth/s,
      );
      expect(
        loadConfig({ ...secure, AIHIO_AUTH_MODE: 'dev', AIHIO_ALLOW_INSECURE: 'dev-auth' }).auth.mode,
      ).toBe('dev');
    });

    it('refuses a missing master key unless the key file is acknowledged', () => {
      const { AIHIO_MASTER_KEY: _key, ...noKey } = secure;
      expect(refusal(noKey)).toMatch(/AIHIO_MASTER_KEY is required.*master-key-file/s);
      expect(loadConfig({ ...noKey, AIHIO_ALLOW_INSECURE: 'master-key-file' }).masterKey).toBeNull();
    });

    it('refuses a widened egress policy unless each widening is acknowledged', () => {
      expect(refusal({ ...secure, AIHIO_EGRESS_ALLOWLIST: '10.1.0.0/16' })).toContain(
        'AIHIO_ALLOW_INSECURE=egress-allowlist',
      );
      expect(refusal({ ...secure, AIHIO_EGRESS_PORTS: '8443' })).toContain(
        'AIHIO_ALLOW_INSECURE=egress-ports',
      );
      expect(
        refusal({ ...secure, AIHIO_EGRESS_PORTS: '8443', AIHIO_ALLOW_INSECURE: 'egress-allowlist' }),
      ).toContain('egress-ports');
      const widened = loadConfig({
        ...secure,
        AIHIO_EGRESS_ALLOWLIST: '10.1.0.0/16',
        AIHIO_EGRESS_PORTS: '8443',
        AIHIO_ALLOW_INSECURE: 'egress-allowlist,egress-ports',
      });
      expect(widened.egress).toMatchObject({ allowCidrs: ['10.1.0.0/16'], allowedPorts: [443, 8443] });
      // Port 443 alone is no widening.
      expect(loadConfig({ ...secure, AIHIO_EGRESS_PORTS: '443' }).egress.allowedPorts).toEqual([443]);
    });

    it('refuses AIHIO_DEV_HOST_MAP, whatever AIHIO_ALLOW_INSECURE says', () => {
      const map = { AIHIO_DEV_HOST_MAP: 'sandbox.aihio.test=127.0.0.1:8443' };
      expect(refusal({ ...secure, ...map })).toMatch(
        /Refusing to start:.*AIHIO_DEV_HOST_MAP .*development only.*NODE_ENV=production/s,
      );
      expect(
        refusal({
          ...secure,
          ...map,
          AIHIO_EGRESS_ALLOWLIST: '127.0.0.1/32',
          AIHIO_ALLOW_INSECURE: 'dev-auth,master-key-file,egress-allowlist,egress-ports',
        }),
      ).toContain('AIHIO_DEV_HOST_MAP');
    });

    it('refuses a JWKS over plain http unless acknowledged', () => {
      const jwks = {
        NODE_ENV: 'production',
        AIHIO_MASTER_KEY: KEY,
        AIHIO_JWKS_URL: 'http://idp.example.com/.well-known/jwks.json',
      };
      expect(refusal(jwks)).toMatch(/AIHIO_JWKS_URL is plain http:\/\/.*AIHIO_ALLOW_INSECURE=jwks-http/s);
      expect(loadConfig({ ...jwks, AIHIO_ALLOW_INSECURE: 'jwks-http' }).auth).toMatchObject({
        jwksUrl: jwks.AIHIO_JWKS_URL,
      });
      expect(
        loadConfig({ ...jwks, AIHIO_JWKS_URL: 'https://idp.example.com/.well-known/jwks.json' }).auth,
      ).toMatchObject({ mode: 'jwt', jwksUrl: 'https://idp.example.com/.well-known/jwks.json' });
    });

    it('refuses plain http CORS origins unless acknowledged', () => {
      const origins = { ...secure, AIHIO_CORS_ORIGINS: 'https://dash.example.com,http://localhost:5173' };
      const message = refusal(origins);
      expect(message).toMatch(/AIHIO_CORS_ORIGINS has plain http:\/\/ origins \(http:\/\/localhost:5173\)/);
      expect(message).toContain('AIHIO_ALLOW_INSECURE=cors-http');
      expect(message).not.toContain('https://dash.example.com');
      expect(loadConfig({ ...origins, AIHIO_ALLOW_INSECURE: 'cors-http' }).corsOrigins).toEqual([
        'https://dash.example.com',
        'http://localhost:5173',
      ]);
      expect(loadConfig({ ...secure, AIHIO_CORS_ORIGINS: 'https://dash.example.com' }).corsOrigins).toEqual([
        'https://dash.example.com',
      ]);
    });

    it('names every problem at once', () => {
      const message = refusal({ NODE_ENV: 'production', AIHIO_AUTH_MODE: 'dev', AIHIO_EGRESS_PORTS: '8443' });
      expect(message).toContain('AIHIO_AUTH_MODE');
      expect(message).toContain('AIHIO_MASTER_KEY');
      expect(message).toContain('AIHIO_EGRESS_PORTS');
    });
  });
});

describe('AIHIO_MASTER_KEY_PREVIOUS', () => {
  const previous = Buffer.alloc(32, 3);
  const secure = {
    NODE_ENV: 'production',
    AIHIO_MASTER_KEY: KEY,
    AIHIO_JWT_SECRET: SECRET,
  };

  it('is accepted in production, as base64 or hex, and is null when unset or empty', () => {
    for (const text of [previous.toString('base64'), previous.toString('hex')]) {
      expect(loadConfig({ ...secure, AIHIO_MASTER_KEY_PREVIOUS: text }).previousMasterKey).toBe(text);
    }
    expect(loadConfig(secure).previousMasterKey).toBeNull();
    expect(loadConfig({ ...secure, AIHIO_MASTER_KEY_PREVIOUS: '' }).previousMasterKey).toBeNull();
  });

  it('is validated like AIHIO_MASTER_KEY, naming the variable and never echoing the value', () => {
    for (const bad of ['too-short', randomish(16), randomish(33)]) {
      const message = refusal({ ...secure, AIHIO_MASTER_KEY_PREVIOUS: bad });
      expect(message).toContain('AIHIO_MASTER_KEY_PREVIOUS');
      expect(message).not.toContain(bad);
    }
  });

  it('must differ from AIHIO_MASTER_KEY, however each is written', () => {
    const current = Buffer.from(KEY, 'base64');
    for (const same of [KEY, current.toString('hex'), current.toString('base64url')]) {
      const message = refusal({ ...secure, AIHIO_MASTER_KEY_PREVIOUS: same });
      expect(message).toMatch(/AIHIO_MASTER_KEY_PREVIOUS must differ from AIHIO_MASTER_KEY/);
      expect(message).not.toContain(KEY);
      expect(message).not.toContain(current.toString('hex'));
    }
  });
});

/** A key-shaped base64 text of `bytes` bytes (not 32: invalid). */
function randomish(bytes: number): string {
  return Buffer.alloc(bytes, 0x5a).toString('base64');
}
