import { generate } from 'selfsigned';

/** A throwaway certificate authority and a server certificate it signed, all PEM. */
export interface SandboxCertificates {
  /** The CA certificate: what a client (the BFF's egress) adds to its trust store. */
  caCert: string;
  cert: string;
  key: string;
}

/**
 * The host name the example actions call (`https://sandbox.aihio.test/…`) and the sandbox's
 * certificate names, beside localhost and 127.0.0.1. `.test` is reserved (RFC 2606), so the name
 * never resolves anywhere: the BFF reaches it only through its development host map.
 */
export const SANDBOX_HOSTNAME = 'sandbox.aihio.test';

/**
 * A fresh CA per start rather than a checked-in key: nothing outside this process and the BFF it
 * is handed to ever trusts it, and it expires in a day. EC keys because RSA generation costs
 * seconds on a busy two-core machine.
 */
export async function createSandboxCertificates(): Promise<SandboxCertificates> {
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(Date.now() + 24 * 3600_000);
  const ca = await generate([{ name: 'commonName', value: 'Aihio demo sandbox CA' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const server = await generate([{ name: 'commonName', value: SANDBOX_HOSTNAME }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: SANDBOX_HOSTNAME },
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  return { caCert: ca.cert, cert: server.cert, key: server.private };
}
