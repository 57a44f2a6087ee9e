import { ipv4ToNumber, ipv6ToBigInt } from '@trellis/mesh-api';
import type { CidrRange } from '@trellis/mesh-envoy';
import { RbacConfigError } from './errors';

/*
 * Envoy's CidrRange match, pure (no node:net): an address in `address_prefix/prefix_len` of the same
 * family; IPv4-mapped IPv6 (`::ffff:10.0.0.1`, how a dual-stack socket reports IPv4 peers) counts as IPv4.
 */

const v4 = ipv4ToNumber;
const v6 = ipv6ToBigInt;

const MAPPED = '::ffff:';

function unmap(ip: string): string {
  return ip.length > MAPPED.length && ip.slice(0, MAPPED.length).toLowerCase() === MAPPED && ip.includes('.') ? ip.slice(MAPPED.length) : ip;
}

/** `prefix_len` as it arrives: a UInt32Value wrapper or, from hand-written JSON, a number. */
function prefixLen(r: CidrRange): number {
  const raw: unknown = r.prefix_len;
  if (typeof raw === 'number') return raw;
  return Number((raw as { value?: number } | undefined)?.value ?? 0);
}

export interface CompiledCidr {
  readonly test: (ip: string) => boolean;
  /** `10.0.0.0/8` */
  readonly text: string;
}

export function compileCidr(policy: string, r: CidrRange): CompiledCidr {
  const address = unmap(r.address_prefix ?? '');
  const bits = prefixLen(r);
  const net4 = v4(address);
  if (net4 !== undefined) {
    if (!Number.isInteger(bits) || bits < 0 || bits > 32) throw new RbacConfigError(policy, `CIDR ${address}/${bits}: bad prefix_len`);
    const size = 2 ** (32 - bits);
    const base = Math.floor(net4 / size);
    return { text: `${address}/${bits}`, test: (ip) => { const n = v4(unmap(ip)); return n !== undefined && Math.floor(n / size) === base; } };
  }
  const net6 = v6(address);
  if (net6 === undefined) throw new RbacConfigError(policy, `CIDR address_prefix ${JSON.stringify(r.address_prefix ?? '')} is not an IP address`);
  if (!Number.isInteger(bits) || bits < 0 || bits > 128) throw new RbacConfigError(policy, `CIDR ${address}/${bits}: bad prefix_len`);
  const shift = BigInt(128 - bits);
  const base = net6 >> shift;
  return {
    text: `${address}/${bits}`,
    test: (ip) => {
      if (!ip.includes(':') || unmap(ip) !== ip) return false;
      const n = v6(ip);
      return n !== undefined && n >> shift === base;
    },
  };
}
