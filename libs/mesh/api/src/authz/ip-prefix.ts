/**
 * Go's netip.ParsePrefix / ParseAddr as istiod uses them for AuthorizationPolicy addresses
 * (`pilot/pkg/networking/util` AddrStrToPrefix): `1.2.3.4` is a /32, `fd00::1` a /128, `10.0.0.0/8`
 * keeps its length; the address is printed as netip prints it (IPv6 compressed, lower case). Shared by
 * the webhook checks (a bad value is rejected at apply) and the translator (CidrRange).
 */
export interface IpPrefix {
  /** The address as given, normalised (not masked: `10.1.2.3/8` stays `10.1.2.3`). */
  readonly address: string;
  readonly prefixLen: number;
  readonly family: 4 | 6;
}

function v4Parts(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255) return undefined;
    out.push(Number(p));
  }
  return out;
}

/** Eight 16-bit groups, or undefined. An embedded IPv4 tail (`::ffff:1.2.3.4`) counts as two groups. */
function v6Groups(text: string): number[] | undefined {
  if (!text.includes(':') || text.includes('%')) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const side = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    const groups = s.split(':');
    for (const [i, g] of groups.entries()) {
      if (i === groups.length - 1 && g.includes('.')) {
        const v4 = v4Parts(g);
        if (v4 === undefined) return undefined;
        out.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
      } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) out.push(parseInt(g, 16));
      else return undefined;
    }
    return out;
  };
  const left = side(halves[0] ?? '');
  const right = halves.length === 2 ? side(halves[1] ?? '') : [];
  if (left === undefined || right === undefined) return undefined;
  const missing = 8 - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  return [...left, ...Array<number>(halves.length === 2 ? missing : 0).fill(0), ...right];
}

/** RFC 5952 text: the longest run (≥ 2) of zero groups as `::`, lower-case hex; v4-mapped as `::ffff:a.b.c.d`. */
function formatV6(g: readonly number[]): string {
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) {
    const [a = 0, b = 0] = [g[6], g[7]];
    return `::ffff:${a >> 8}.${a & 255}.${b >> 8}.${b & 255}`;
  }
  let best = { at: -1, len: 0 };
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > best.len && j - i >= 2) best = { at: i, len: j - i };
    i = j === i ? i + 1 : j;
  }
  const hex = (xs: readonly number[]): string => xs.map((x) => x.toString(16)).join(':');
  if (best.at < 0) return hex(g);
  return `${hex(g.slice(0, best.at))}::${hex(g.slice(best.at + best.len))}`;
}

function parseAddress(text: string): { address: string; family: 4 | 6 } | undefined {
  const v4 = v4Parts(text);
  if (v4 !== undefined) return { address: v4.join('.'), family: 4 };
  const v6 = v6Groups(text);
  return v6 === undefined ? undefined : { address: formatV6(v6), family: 6 };
}

/** An IPv4 address (dotted quad, Go's rules: no leading zeros) as a 32-bit number, else undefined. */
export function ipv4ToNumber(text: string): number | undefined {
  const p = v4Parts(text);
  return p === undefined ? undefined : (((p[0] ?? 0) * 256 + (p[1] ?? 0)) * 256 + (p[2] ?? 0)) * 256 + (p[3] ?? 0);
}

/** An IPv6 address (`::` compression, an embedded IPv4 tail) as a 128-bit bigint, else undefined. */
export function ipv6ToBigInt(text: string): bigint | undefined {
  const groups = v6Groups(text);
  if (groups === undefined) return undefined;
  let n = 0n;
  for (const g of groups) n = (n << 16n) | BigInt(g);
  return n;
}

/** `addr` or `addr/len` → the prefix istiod builds; undefined when Go's netip would reject it. */
export function parseIpPrefix(text: string): IpPrefix | undefined {
  const slash = text.indexOf('/');
  const addr = parseAddress(slash < 0 ? text : text.slice(0, slash));
  if (addr === undefined) return undefined;
  const width = addr.family === 4 ? 32 : 128;
  if (slash < 0) return { ...addr, prefixLen: width };
  const bits = text.slice(slash + 1);
  if (!/^(0|[1-9][0-9]{0,2})$/.test(bits) || Number(bits) > width) return undefined;
  return { ...addr, prefixLen: Number(bits) };
}
