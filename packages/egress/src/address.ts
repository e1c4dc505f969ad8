import ipaddr from 'ipaddr.js';

// The bottom of the package's modules: it imports nothing of the package, and the policy, the
// host overrides and the resolver judge addresses through it.

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** A parsed CIDR: `[network, prefix length]`. */
export type Cidr = [Address, number];

/**
 * What an address is judged against besides the blocked ranges: the operator's allowlist, parsed.
 * A resolved policy is one (`allowRanges`); a plain object works too.
 */
export interface AddressAllowance {
  readonly allowRanges: readonly Cidr[];
}

/**
 * Why an address is blocked, phrased to finish the sentence "… resolves to 10.0.0.5, <reason>,
 * which actions may not call".
 */
export type BlockReason = string;

type Rule = readonly [cidr: string, reason: BlockReason];

// Order matters: the first matching rule names the reason, so specific ranges come before the
// ranges that contain them (the metadata address before link-local, broadcast before 240/4).
const IPV4_RULES: readonly Rule[] = [
  ['0.0.0.0/8', 'an unspecified ("this network") address'],
  ['10.0.0.0/8', 'a private network address'],
  ['100.64.0.0/10', 'a carrier-grade NAT (shared) address'],
  ['127.0.0.0/8', 'a loopback address'],
  ['169.254.169.254/32', 'the cloud metadata address'],
  ['169.254.0.0/16', 'a link-local address'],
  ['168.63.129.16/32', 'a cloud host-service address'],
  ['172.16.0.0/12', 'a private network address'],
  ['192.0.0.0/24', 'a reserved protocol address'],
  ['192.0.2.0/24', 'a documentation address'],
  ['192.88.99.0/24', 'a reserved 6to4 relay address'],
  ['192.168.0.0/16', 'a private network address'],
  ['198.18.0.0/15', 'a benchmarking address'],
  ['198.51.100.0/24', 'a documentation address'],
  ['203.0.113.0/24', 'a documentation address'],
  ['224.0.0.0/4', 'a multicast address'],
  ['255.255.255.255/32', 'the broadcast address'],
  ['240.0.0.0/4', 'a reserved address'],
];

// Applied after IPv4-mapped addresses (::ffff:a.b.c.d) have been unmapped and judged as IPv4.
const IPV6_RULES: readonly Rule[] = [
  ['::/128', 'the unspecified address'],
  ['::1/128', 'a loopback address'],
  ['::/96', 'an IPv4-compatible IPv6 address'],
  ['64:ff9b::/96', 'a NAT64 address'],
  ['64:ff9b:1::/48', 'a NAT64 address'],
  ['fc00::/7', 'a private network address'],
  ['fe80::/10', 'a link-local address'],
  ['ff00::/8', 'a multicast address'],
  ['2001::/32', 'a Teredo tunnel address'],
  ['2001:db8::/32', 'a documentation address'],
  ['2001::/23', 'a reserved protocol address'],
  ['2002::/16', 'a 6to4 tunnel address'],
  ['3fff::/20', 'a documentation address'],
];

const GLOBAL_UNICAST = ipaddr.parseCIDR('2000::/3');
const OUTSIDE_GLOBAL_UNICAST = 'a reserved address outside the public internet range';

const parsedV4 = IPV4_RULES.map(([cidr, reason]) => [ipaddr.IPv4.parseCIDR(cidr), reason] as const);
const parsedV6 = IPV6_RULES.map(([cidr, reason]) => [ipaddr.IPv6.parseCIDR(cidr), reason] as const);

/** The result of judging one address. `address` is the canonical form that will be dialled. */
export type AddressVerdict =
  | { allowed: true; address: string; family: 4 | 6 }
  | { allowed: false; address: string; reason: BlockReason };

/**
 * Rewrite an IPv6 text whose last 32 bits are a dotted quad (`::1.2.3.4`, `64:ff9b::1.2.3.4`)
 * into plain hex groups. ipaddr.js reads every such text as IPv4-mapped (`::ffff:1.2.3.4`), which
 * would let the IPv4-compatible `::8.8.8.8` pass as 8.8.8.8; hex groups it parses exactly.
 */
function withoutDottedQuad(text: string): string | null {
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (!tail.includes('.')) return text;
  if (lastColon < 0 || !ipaddr.IPv4.isValidFourPartDecimal(tail)) return null;
  const [a = 0, b = 0, c = 0, d = 0] = ipaddr.IPv4.parse(tail).octets;
  return `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
}

const DOTTED_QUAD_SHAPE = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/u;

/** Parse an address (IPv4 or IPv6, optionally in brackets); null when it is not one. */
export function parseAddress(text: string): Address | null {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  // Strict forms only: answers and URL hosts are canonical, and a lenient parse of something
  // like "0x7f.1" here would mean some other layer let a non-canonical spelling through.
  // The cheap shape tests come first: ipaddr.js validates by throwing and catching, which is
  // costly for the host names that make up nearly every call.
  if (DOTTED_QUAD_SHAPE.test(bare)) {
    return ipaddr.IPv4.isValidFourPartDecimal(bare) ? ipaddr.IPv4.parse(bare) : null;
  }
  // A zone id (`%eth0`) belongs to link-local addressing only; no URL host or DNS answer we dial
  // carries one, and the dialled address must be exactly the checked text.
  if (!bare.includes(':') || bare.includes('%')) return null;
  const hex = withoutDottedQuad(bare);
  if (hex === null || !ipaddr.IPv6.isValid(hex)) return null;
  return ipaddr.IPv6.parse(hex);
}

function matchingReason(
  address: Address,
  rules: readonly (readonly [[Address, number], BlockReason])[],
): BlockReason | null {
  for (const [range, reason] of rules) {
    if (address.kind() === range[0].kind() && address.match(range)) return reason;
  }
  return null;
}

function allowlisted(address: Address, allowance: AddressAllowance): boolean {
  return allowance.allowRanges.some((range) => address.kind() === range[0].kind() && address.match(range));
}

/**
 * Judge a parsed address against the blocked ranges of DESIGN.md and the policy's allowlist.
 * IPv4-mapped IPv6 addresses are unmapped and judged as the IPv4 address they carry (and dialled
 * as IPv4); every other IPv6 form that embeds an IPv4 address (IPv4-compatible, NAT64, 6to4,
 * Teredo) is blocked outright, whatever it embeds.
 */
export function judgeAddress(parsed: Address, allowance: AddressAllowance): AddressVerdict {
  const address: Address =
    parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()
      ? (parsed as ipaddr.IPv6).toIPv4Address()
      : parsed;
  const text = address.kind() === 'ipv6' ? (address as ipaddr.IPv6).toRFC5952String() : address.toString();
  const family = address.kind() === 'ipv4' ? 4 : 6;
  if (allowlisted(address, allowance)) return { allowed: true, address: text, family };

  let reason: BlockReason | null;
  if (address.kind() === 'ipv4') {
    reason = matchingReason(address, parsedV4);
  } else {
    reason =
      matchingReason(address, parsedV6) ?? (address.match(GLOBAL_UNICAST) ? null : OUTSIDE_GLOBAL_UNICAST);
  }
  return reason === null
    ? { allowed: true, address: text, family }
    : { allowed: false, address: text, reason };
}

/** Parse and judge address text; null when the text is not an IP address. */
export function judgeAddressText(text: string, allowance: AddressAllowance): AddressVerdict | null {
  const parsed = parseAddress(text);
  return parsed === null ? null : judgeAddress(parsed, allowance);
}
