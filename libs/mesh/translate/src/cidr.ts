/** Pure CIDR containment for IPv4 and IPv6 (no node:net in a pure lib). */

function v4(ip: string): bigint | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = (n << 8n) | BigInt(p);
  }
  return n;
}

function v6(ip: string): bigint | undefined {
  if (!ip.includes(':')) return undefined;
  const [head = '', tail, extra] = ip.split('::');
  if (extra !== undefined) return undefined;
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - left.length - right.length;
  if ((tail === undefined && missing !== 0) || missing < 0) return undefined;
  let n = 0n;
  for (const g of [...left, ...Array<string>(missing).fill('0'), ...right]) {
    if (!/^[0-9a-f]{1,4}$/i.test(g)) return undefined;
    n = (n << 16n) | BigInt(parseInt(g, 16));
  }
  return n;
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
