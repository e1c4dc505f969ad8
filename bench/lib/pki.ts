import { isIP } from 'node:net';
import { generate } from 'selfsigned';

/**
 * A throwaway CA and a server certificate it signs, for the benches' loopback HTTPS servers. The
 * subjectAltName is an IP entry for an address and a DNS entry for a name, as TLS clients require.
 */
export async function issueServerCertificate(
  caName: string,
  subject: string,
): Promise<{ ca: string; key: string; cert: string }> {
  const ca = await generate([{ name: 'commonName', value: caName }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const altName = isIP(subject)
    ? ({ type: 7, ip: subject } as const)
    : ({ type: 2, value: subject } as const);
  const leaf = await generate([{ name: 'commonName', value: subject }], {
    keyType: 'ec',
    algorithm: 'sha256',
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [altName] },
    ],
  });
  return { ca: ca.cert, key: leaf.private, cert: leaf.cert };
}
