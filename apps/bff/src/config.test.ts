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

describe('loadConfig', () => {
  it('has development defaults: loopback, SQLite under ./data, dev auth, production egress policy', () => {
    const config = loadConfig({});
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

  it('parses every variable it documents', () => {
    const config = loadConfig({
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
      egress: { allowedPorts: [443, 8443], allowCidrs: ['10.0.0.0/8'] },
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
    [{ AIHIO_EGRESS_PORTS: '443,x' }, 'AIHIO_EGRESS_PORTS'],
    [{ AIHIO_DEV_HOST_MAP: 'sandbox.aihio.test' }, 'AIHIO_DEV_HOST_MAP'],
    [{ AIHIO_ALLOW_INSECURE: 'everything' }, 'AIHIO_ALLOW_INSECURE'],
    [{ AIHIO_AUTH_MODE: 'jwt' }, 'AIHIO_JWT_SECRET'],
  ])('a bad value stops the start naming the variable: %j', (env, variable) => {
    expect(refusal(env)).toContain(variable);
  });

  it('never echoes a bad master key', () => {
    const bad = 'c2VjcmV0LWJ1dC13cm9uZy1sZW5ndGg=';
    expect(refusal({ AIHIO_MASTER_KEY: bad })).not.toContain(bad);
  });

  it('refuses dev auth on a non-loopback HOST even outside production, unless acknowledged', () => {
    expect(refusal({ HOST: '0.0.0.0' })).toMatch(
      /AIHIO_AUTH_MODE=dev.*HOST=0\.0\.0\.0.*AIHIO_ALLOW_INSECURE=dev-auth/s,
    );
    expect(refusal({ NODE_ENV: 'test', HOST: '192.168.1.20', AIHIO_AUTH_MODE: 'dev' })).toMatch(/HOST=192/);
    expect(loadConfig({ HOST: '0.0.0.0', AIHIO_ALLOW_INSECURE: 'dev-auth' }).auth.mode).toBe('dev');
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost']) {
      expect(loadConfig({ HOST: host }).auth.mode).toBe('dev');
    }
  });

  describe('AIHIO_DEV_HOST_MAP', () => {
    it('maps host names to an address and port for egress (443 when left out)', () => {
      const config = loadConfig({
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
        loadConfig({ NODE_ENV: 'test', AIHIO_DEV_HOST_MAP: 'a.test=127.0.0.1:1' }).egress.hostOverrides,
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
      const text = refusal({ AIHIO_DEV_HOST_MAP: value });
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
