import { generate } from 'selfsigned';

/** A key and certificate in PEM, as `https.createServer` takes them. */
export interface KeyPair {
  key: string;
  cert: string;
}

/** A throwaway PKI for tests: a CA, certificates it issued, and one it did not. */
export interface TestPki {
  ca: KeyPair;
  /** Valid, issued by `ca`, for `*.egress.test`, `api.egress.test`, 127.0.0.1 and ::1. */
  server: KeyPair;
  /** Issued by `ca` for the same names, expired a year ago. */
  expired: KeyPair;
  /** Self-signed for the same names, not under `ca`. */
  selfSigned: KeyPair;
}

const NAMES = [
  { type: 2 as const, value: 'api.egress.test' },
  { type: 2 as const, value: '*.egress.test' },
  { type: 7 as const, ip: '127.0.0.1' },
  { type: 7 as const, ip: '::1' },
];

const DAY = 24 * 60 * 60 * 1000;

async function leaf(
  ca: KeyPair | undefined,
  validity: { notBeforeDate: Date; notAfterDate: Date },
): Promise<KeyPair> {
  const pems = await generate([{ name: 'commonName', value: 'api.egress.test' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    ...validity,
    ...(ca === undefined ? {} : { ca: { key: ca.key, cert: ca.cert } }),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: NAMES },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

/** Generate the test PKI (EC keys: a few tens of milliseconds). */
export async function createTestPki(): Promise<TestPki> {
  const now = Date.now();
  const caPems = await generate([{ name: 'commonName', value: 'Aihio egress test CA' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: new Date(now - DAY),
    notAfterDate: new Date(now + 30 * DAY),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const ca = { key: caPems.private, cert: caPems.cert };
  const [server, expired, selfSigned] = await Promise.all([
    leaf(ca, { notBeforeDate: new Date(now - DAY), notAfterDate: new Date(now + 30 * DAY) }),
    leaf(ca, { notBeforeDate: new Date(now - 730 * DAY), notAfterDate: new Date(now - 365 * DAY) }),
    leaf(undefined, { notBeforeDate: new Date(now - DAY), notAfterDate: new Date(now + 30 * DAY) }),
  ]);
  return { ca, server, expired, selfSigned };
}
