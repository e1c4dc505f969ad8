import { describe, expect, it } from 'vitest';
import { checkDestination } from './check-destination';
import type { LookupAddress } from './dns-lookup';

/**
 * DNS answers an attacker who controls a name's zone may return. Only `checkDestination` is used:
 * it resolves through the given lookup and never connects.
 */
function answering(...answers: LookupAddress[]) {
  return { lookup: async () => answers };
}

describe('DNS answers', () => {
  it.each<[string, LookupAddress[]]>([
    [
      'a public and a loopback answer',
      [
        { address: '8.8.8.8', family: 4 },
        { address: '::1', family: 6 },
      ],
    ],
    ['an IPv4-mapped private answer', [{ address: '::ffff:10.0.0.1', family: 6 }]],
    ['an IPv4-mapped answer in hex', [{ address: '::ffff:a00:1', family: 6 }]],
    ['an IPv4-translated (SIIT) loopback', [{ address: '::ffff:0:7f00:1', family: 6 }]],
    ['an IPv4-compatible loopback', [{ address: '::127.0.0.1', family: 6 }]],
    ['a NAT64 answer', [{ address: '64:ff9b::808:808', family: 6 }]],
    ['the unspecified address', [{ address: '0.0.0.0', family: 4 }]],
    ['a link-local answer with a zone id', [{ address: 'fe80::1%eth0', family: 6 }]],
    ['a public answer with a zone id', [{ address: '2606:4700::1%eth0', family: 6 }]],
    ['an answer with a newline', [{ address: '8.8.8.8\n', family: 4 }]],
    ['an octal-looking answer', [{ address: '010.0.0.1', family: 4 }]],
    ['a bracketed answer', [{ address: '[::1]', family: 6 }]],
    ['no answer', []],
  ])('%s is refused', async (_name, answers) => {
    const verdict = await checkDestination('https://attacker.example/', answering(...answers));
    expect(verdict.allowed).toBe(false);
    if (!verdict.allowed) expect(['blocked_destination', 'dns_failed']).toContain(verdict.code);
  });

  it('an IPv4-mapped public answer is dialled as the IPv4 address it carries', async () => {
    const verdict = await checkDestination(
      'https://attacker.example/',
      answering({ address: '::ffff:8.8.8.8', family: 6 }),
    );
    expect(verdict).toMatchObject({ allowed: true, addresses: [{ address: '8.8.8.8', family: 4 }] });
  });
});
