import { ipv4ToNumber, ipv6ToBigInt as v6 } from '@trellis/mesh-api';

/** Pure CIDR containment for IPv4 and IPv6 (no node:net in a pure lib); addresses parsed by mesh-api's one IP parser. */

function v4(ip: string): bigint | undefined {
  const n = ipv4ToNumber(ip);
  return n === undefined ? undefined : BigInt(n);
}

/** `ip` inside `cidr` (`10.0.0.0/8`, `fd00::/8`; a bare address is a host route). False for mixed families or bad input. */
export function cidrContains(cidr: string, ip: string): boolean {
  const [address = '', bitsText] = cidr.split('/');
  const [net, addr, width] = v4(address) !== undefined ? [v4(address), v4(ip), 32] : [v6(address), v6(ip), 128];
  const bits = bitsText === undefined ? width : Number(bitsText);
  if (net === undefined || addr === undefined || !Number.isInteger(bits) || bits < 0 || bits > width) return false;
  const shift = BigInt(width - bits);
  return net >> shift === addr >> shift;
}
