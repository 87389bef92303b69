/**
 * CIDR classification on top of ipaddr.js (no hand parsing of addresses).
 */
import ipaddr from 'ipaddr.js';

export interface CidrInfo {
  cidr: string;
  family: 4 | 6;
  prefixLength: number;
  /** 0.0.0.0/0 or ::/0 */
  world: boolean;
  /** Entirely inside RFC 1918, RFC 6598 (CGNAT), loopback/link-local, or IPv6 ULA/link-local. */
  private: boolean;
  /** Not private and not world: a public prefix. */
  public: boolean;
  valid: boolean;
}

const PRIVATE_V4: Array<[ipaddr.IPv4, number]> = [
  ipaddr.IPv4.parseCIDR('10.0.0.0/8'),
  ipaddr.IPv4.parseCIDR('172.16.0.0/12'),
  ipaddr.IPv4.parseCIDR('192.168.0.0/16'),
  ipaddr.IPv4.parseCIDR('100.64.0.0/10'),
  ipaddr.IPv4.parseCIDR('127.0.0.0/8'),
  ipaddr.IPv4.parseCIDR('169.254.0.0/16'),
];
const PRIVATE_V6: Array<[ipaddr.IPv6, number]> = [
  ipaddr.IPv6.parseCIDR('fc00::/7'),
  ipaddr.IPv6.parseCIDR('fe80::/10'),
  ipaddr.IPv6.parseCIDR('::1/128'),
];

const cache = new Map<string, CidrInfo>();

export function classifyCidr(cidr: string): CidrInfo {
  const hit = cache.get(cidr);
  if (hit) return hit;
  const info = computeCidr(cidr);
  if (cache.size < 200_000) cache.set(cidr, info);
  return info;
}

function computeCidr(cidr: string): CidrInfo {
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  let len: number;
  try {
    // Without ':' it cannot be IPv6 (ipaddr's own IPv6.isValid shortcut); parse IPv4 directly instead of
    // letting ipaddr.parseCIDR try IPv6 first and throw — those exceptions dominated graph building.
    if (cidr.includes('/')) [addr, len] = cidr.includes(':') ? ipaddr.parseCIDR(cidr) : ipaddr.IPv4.parseCIDR(cidr);
    else {
      addr = ipaddr.parse(cidr);
      len = addr.kind() === 'ipv4' ? 32 : 128;
    }
  } catch {
    return {
      cidr,
      family: cidr.includes(':') ? 6 : 4,
      prefixLength: 0,
      world: false,
      private: false,
      public: false,
      valid: false,
    };
  }
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) {
    // ::ffff:a.b.c.d/N behaves like the IPv4 prefix; keep the text as written (remediation must revoke it verbatim).
    const v4 = (addr as ipaddr.IPv6).toIPv4Address();
    return { ...computeCidr(`${v4.toString()}/${Math.max(0, len - 96)}`), cidr };
  }
  const family = addr.kind() === 'ipv4' ? 4 : 6;
  const world = len === 0;
  let isPrivate = false;
  if (!world) {
    const ranges = family === 4 ? PRIVATE_V4 : PRIVATE_V6;
    for (const [net, netLen] of ranges) {
      if (len >= netLen && addr.kind() === net.kind() && (addr as ipaddr.IPv4).match(net, netLen)) {
        isPrivate = true;
        break;
      }
    }
  }
  return { cidr, family, prefixLength: len, world, private: isPrivate, public: !world && !isPrivate, valid: true };
}

export function isWorld(cidr: string): boolean {
  return classifyCidr(cidr).world;
}
