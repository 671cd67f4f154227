import { isIPv4, isIPv6 } from 'node:net';

/**
 * SSRF guard, part 1: what kind of address an IP is. The notifier connects only to `public` addresses
 * (plus `loopback` when local development explicitly allows it). Everything that is not globally routable
 * unicast is refused: private (RFC 1918), loopback, link-local (incl. the cloud metadata service),
 * carrier-grade NAT, multicast, broadcast/reserved, documentation and benchmarking ranges, unique-local and
 * site-local IPv6. IPv6 forms that carry an IPv4 address (IPv4-mapped `::ffff:a.b.c.d`, NAT64 `64:ff9b::/96`,
 * 6to4 `2002::/16`) are judged by that IPv4 address, so `::ffff:127.0.0.1` is loopback, not public.
 */
export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'metadata'
  | 'cgnat'
  | 'multicast'
  | 'unique-local'
  | 'documentation'
  | 'unspecified'
  | 'reserved'
  | 'invalid';

type Range = readonly [prefix: readonly number[], bits: number, cls: AddressClass];

/** Cloud instance-metadata endpoints: AWS/GCP/Azure IMDS, ECS task metadata, Alibaba; AWS's IPv6 IMDS. */
const METADATA_V4 = new Set(['169.254.169.254', '169.254.170.2', '169.254.170.23', '100.100.100.200']);
const METADATA_V6 = ['fd00:ec2::254'];

const V4_RANGES: readonly Range[] = [
  [[0], 8, 'unspecified'],
  [[10], 8, 'private'],
  [[100, 64], 10, 'cgnat'],
  [[127], 8, 'loopback'],
  [[169, 254], 16, 'link-local'],
  [[172, 16], 12, 'private'],
  [[192, 0, 0], 24, 'reserved'],
  [[192, 0, 2], 24, 'documentation'],
  [[192, 88, 99], 24, 'reserved'],
  [[192, 168], 16, 'private'],
  [[198, 18], 15, 'reserved'],
  [[198, 51, 100], 24, 'documentation'],
  [[203, 0, 113], 24, 'documentation'],
  [[224], 4, 'multicast'],
  [[240], 4, 'reserved'],
];

const V6_RANGES: readonly Range[] = [
  [[0x01, 0x00], 64, 'reserved'], // 100::/64 discard-only
  [[0x00, 0x64, 0xff, 0x9b, 0x00, 0x01], 48, 'private'], // 64:ff9b:1::/48 local-use NAT64
  [[0x20, 0x01, 0x0d, 0xb8], 32, 'documentation'], // 2001:db8::/32
  [[0x20, 0x01, 0x00], 23, 'reserved'], // 2001::/23 IETF protocol assignments, Teredo
  [[0x3f, 0xff], 20, 'documentation'], // 3fff::/20
  [[0xfc], 7, 'unique-local'], // fc00::/7
  [[0xfe, 0x80], 10, 'link-local'], // fe80::/10
  [[0xfe, 0xc0], 10, 'private'], // fec0::/10 site-local (deprecated)
  [[0xff], 8, 'multicast'],
];

function inRange(bytes: Uint8Array, prefix: readonly number[], bits: number): boolean {
  for (let i = 0; i * 8 < bits; i++) {
    const take = Math.min(8, bits - i * 8);
    const mask = (0xff << (8 - take)) & 0xff;
    if (((bytes[i] ?? 0) & mask) !== ((prefix[i] ?? 0) & mask)) return false;
  }
  return true;
}

/** Strips brackets and an IPv6 zone id (`fe80::1%eth0`). */
function bare(address: string): string {
  let a = address.trim();
  if (a.startsWith('[') && a.endsWith(']')) a = a.slice(1, -1);
  const zone = a.indexOf('%');
  return zone >= 0 ? a.slice(0, zone) : a;
}

export function parseIPv4(address: string): Uint8Array | undefined {
  if (!isIPv4(address)) return undefined;
  return Uint8Array.from(address.split('.').map(Number));
}

export function parseIPv6(address: string): Uint8Array | undefined {
  if (!isIPv6(address)) return undefined;
  let text = address.toLowerCase();
  // a dotted IPv4 tail (`::ffff:1.2.3.4`) becomes two hex groups
  const lastColon = text.lastIndexOf(':');
  const v4 = text.includes('.') ? parseIPv4(text.slice(lastColon + 1)) : undefined;
  if (text.includes('.')) {
    if (!v4) return undefined;
    const hi = ((v4[0]! << 8) | v4[1]!).toString(16);
    const lo = ((v4[2]! << 8) | v4[3]!).toString(16);
    text = `${text.slice(0, lastColon + 1)}${hi}:${lo}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (s: string | undefined) => (s ? s.split(':') : []).map((h) => Number.parseInt(h, 16));
  const head = groupsOf(halves[0]);
  const tail = groupsOf(halves[1]);
  const groups =
    halves.length === 2 ? [...head, ...Array<number>(8 - head.length - tail.length).fill(0), ...tail] : head;
  if (groups.length !== 8 || groups.some((g) => !Number.isInteger(g) || g < 0 || g > 0xffff))
    return undefined;
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[i * 2] = g >> 8;
    bytes[i * 2 + 1] = g & 0xff;
  });
  return bytes;
}

function classifyV4Bytes(bytes: Uint8Array): AddressClass {
  if (METADATA_V4.has(Array.from(bytes).join('.'))) return 'metadata';
  for (const [prefix, bits, cls] of V4_RANGES) if (inRange(bytes, prefix, bits)) return cls;
  return 'public';
}

/** The IPv4 address carried inside an IPv6 one (mapped, NAT64 well-known prefix, 6to4), if any. */
function embeddedV4(bytes: Uint8Array): Uint8Array | undefined {
  const zeros = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  // ::ffff:a.b.c.d (IPv4-mapped)
  if (zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return bytes.slice(12);
  // 64:ff9b::a.b.c.d (NAT64 well-known prefix)
  if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && zeros(4, 12))
    return bytes.slice(12);
  // 2002:AABB:CCDD::/48 (6to4)
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return bytes.slice(2, 6);
  return undefined;
}

function classifyV6Bytes(bytes: Uint8Array): AddressClass {
  if (METADATA_V6.some((m) => Buffer.from(parseIPv6(m)!).equals(bytes))) return 'metadata';
  if (bytes.every((b) => b === 0)) return 'unspecified';
  if (bytes.slice(0, 15).every((b) => b === 0) && bytes[15] === 1) return 'loopback';
  const v4 = embeddedV4(bytes);
  if (v4) return classifyV4Bytes(v4);
  for (const [prefix, bits, cls] of V6_RANGES) if (inRange(bytes, prefix, bits)) return cls;
  // global unicast is 2000::/3; everything else (::a.b.c.d IPv4-compatible included) is not for us
  return ((bytes[0] ?? 0) & 0xe0) === 0x20 ? 'public' : 'reserved';
}

export function classifyAddress(address: string): AddressClass {
  const a = bare(address);
  const v4 = parseIPv4(a);
  if (v4) return classifyV4Bytes(v4);
  const v6 = parseIPv6(a);
  if (v6) return classifyV6Bytes(v6);
  return 'invalid';
}

export interface DestinationPolicy {
  /** Local development only (NOTIFY_ALLOW_LOOPBACK with STAGE=local). */
  allowLoopback: boolean;
}

export function isAllowedAddress(address: string, policy: DestinationPolicy): boolean {
  const cls = classifyAddress(address);
  return cls === 'public' || (policy.allowLoopback && cls === 'loopback');
}

/** `localhost` and `*.localhost` always mean loopback (RFC 6761), whatever a resolver says. */
export function isLocalhostName(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  return h === 'localhost' || h.endsWith('.localhost');
}
